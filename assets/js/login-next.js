/*
 * Where to go after signing in: ?next= only when it names a page of
 * this portal.  The browser resolves it exactly as location.assign
 * would (new URL drops tabs and line breaks, reads "\" as "/", follows
 * "/./"), and only a result on our own origin is kept, as a path: a
 * check on the raw text let "/\t/evil.example/c" through, which the
 * browser then read as //evil.example/c.
 */

/* The sign-in and password pages would only send the person back here. */
const LOOPS = ['/login', '/password'];

export function nextPath(next, origin = location.origin) {
	if (typeof next !== 'string' || next === '') return '/';
	let u;
	try {
		u = new URL(next, origin);
	} catch (e) {
		return '/';
	}
	if (u.origin !== origin) return '/';
	const path = u.pathname + u.search + u.hash;
	/* "/.//host" resolves to the path "//host": a host again to assign(). */
	if (!path.startsWith('/') || path.startsWith('//')) return '/';
	if (LOOPS.some((p) => u.pathname === p || u.pathname.startsWith(p + '/')))
		return '/';
	return new URL(path, origin).origin === origin ? path : '/';
}
