#ifndef REPORTS_H
#define REPORTS_H

/* Load forms/PL1.json and forms/PL2.json; a broken file stops start-up. */
void	reports_load_forms(const char *dir);

#endif
