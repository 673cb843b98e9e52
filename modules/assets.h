#ifndef ASSETS_H
#define ASSETS_H

/* Read every file under dir into memory (start-up, in the parent). */
void	assets_load(const char *dir);

#endif
