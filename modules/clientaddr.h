/*
 * Which address a request is counted by (the sign-in throttle): the TCP
 * peer, or the address a trusted proxy puts in X-Real-IP.  Pure C over
 * inet_pton(3) and inet_ntop(3).
 */
#ifndef CLIENTADDR_H
#define CLIENTADDR_H

#include <stddef.h>

#define CLIENT_ADDR_MAX		46	/* INET6_ADDRSTRLEN */
#define CLIENT_PROXIES_MAX	32

struct client_proxies {
	size_t		n;
	struct {
		int		family;
		unsigned char	a[16];
	}		addr[CLIENT_PROXIES_MAX];
};

/*
 * A comma-separated list of addresses (PORTAL_TRUSTED_PROXIES; spaces
 * around entries and empty entries are fine, NULL or "" trusts nobody):
 * 0, or -1 with an empty list when an entry is not one address or there
 * are too many.
 */
int		client_proxies_parse(const char *, struct client_proxies *);

/*
 * The address to count the client by, as text into out: header (the
 * value of X-Real-IP, NULL when absent) when the peer is in proxies and
 * the header holds exactly one address, else the peer itself.  IPv4
 * mapped into IPv6 is written as IPv4.  0, or -1 when the peer is no
 * address.
 */
int		client_addr(const struct client_proxies *, const char *peer,
		    const char *header, char *out, size_t len);

#endif
