#ifndef MSG_H
#define MSG_H

/* The Vietnamese message for an error code (never NULL). */
const char	*msg_vi(const char *code);

#endif
