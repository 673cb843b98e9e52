/*
 * The client address of a request, for the per-address sign-in
 * throttle.  X-Real-IP is anybody's to write, so it counts only when
 * the connection comes from a proxy the deployment names as trusted
 * (the nginx front, which sets it from the connection it accepted);
 * from anyone else the header is ignored and the peer counts.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "clientaddr.h"

struct client_ip {
	int		family;
	unsigned char	a[16];
};

static int	client_ip_parse(const char *, size_t, struct client_ip *);
static int	client_ip_text(const struct client_ip *, char *, size_t);

/* One address, exactly len bytes of s, with nothing around it. */
static int
client_ip_parse(const char *s, size_t len, struct client_ip *ip)
{
	static const unsigned char	mapped[12] =
	    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	char				buf[CLIENT_ADDR_MAX];

	if (len == 0 || len >= sizeof(buf))
		return (-1);
	memcpy(buf, s, len);
	buf[len] = '\0';

	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, buf, ip->a) == 1) {
		ip->family = AF_INET;
		return (0);
	}
	if (inet_pton(AF_INET6, buf, ip->a) != 1)
		return (-1);
	ip->family = AF_INET6;

	/* ::ffff:a.b.c.d is an IPv4 client on a dual-stack socket. */
	if (!memcmp(ip->a, mapped, sizeof(mapped))) {
		memmove(ip->a, ip->a + 12, 4);
		memset(ip->a + 4, 0, 12);
		ip->family = AF_INET;
	}

	return (0);
}

static int
client_ip_text(const struct client_ip *ip, char *out, size_t len)
{
	if (inet_ntop(ip->family, ip->a, out, len) == NULL)
		return (-1);

	return (0);
}

static int
client_ip_equal(const struct client_ip *ip, int family,
    const unsigned char *a)
{
	if (ip->family != family)
		return (0);

	return (!memcmp(ip->a, a, family == AF_INET ? 4 : 16));
}

int
client_proxies_parse(const char *list, struct client_proxies *p)
{
	struct client_ip	ip;
	const char		*s, *e, *end;

	memset(p, 0, sizeof(*p));
	if (list == NULL)
		return (0);

	for (s = list; *s != '\0'; s = (*end == ',') ? end + 1 : end) {
		if ((end = strchr(s, ',')) == NULL)
			end = s + strlen(s);
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		for (e = end; e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		if (e == s)
			continue;	/* "a,,b", a trailing comma, spaces */
		if (p->n == CLIENT_PROXIES_MAX ||
		    client_ip_parse(s, (size_t)(e - s), &ip) == -1) {
			memset(p, 0, sizeof(*p));
			return (-1);
		}
		p->addr[p->n].family = ip.family;
		memcpy(p->addr[p->n].a, ip.a, sizeof(ip.a));
		p->n++;
	}

	return (0);
}

int
client_addr(const struct client_proxies *p, const char *peer,
    const char *header, char *out, size_t len)
{
	struct client_ip	from, real;
	size_t			i;

	if (peer == NULL || client_ip_parse(peer, strlen(peer), &from) == -1)
		return (-1);

	for (i = 0; header != NULL && p != NULL && i < p->n; i++) {
		if (!client_ip_equal(&from, p->addr[i].family, p->addr[i].a))
			continue;
		if (client_ip_parse(header, strlen(header), &real) == 0)
			return (client_ip_text(&real, out, len));
		break;
	}

	return (client_ip_text(&from, out, len));
}
