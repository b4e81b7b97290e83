/* Message: says something when the configuration is installed. */
#include "../../core/element.h"

#include <strings.h>

typedef struct {
    char *message;
    char *type;
} message_state;

static int message_configure(pl_element *e, pl_error *err)
{
    message_state *s = PL_STATE(e, message_state);
    const char *type = s->type ? s->type : "MESSAGE";
    if (!strcmp(type, "MESSAGE"))
        pl_message(e, PL_MSG_INFO, "%s", s->message);
    else if (!strcmp(type, "WARNING"))
        pl_message(e, PL_MSG_WARNING, "%s", s->message);
    else if (!strcmp(type, "ERROR"))
        return pl_seterr(err, PL_ERR_CONFIG, e, "", "%s", s->message);
    else
        return pl_seterr(err, PL_ERR_CONFIG, e, "TYPE", "unrecognized message type");
    return 0;
}

static const pl_param params[] = {
    {"MESSAGE", PL_T_STRING, offsetof(message_state, message), NULL, 0, -1,
     PL_P_POSITIONAL | PL_P_REQUIRED, "the text"},
    {"TYPE", PL_T_STRING, offsetof(message_state, type), "MESSAGE", 0, -1, PL_P_POSITIONAL,
     "MESSAGE, WARNING or ERROR"},
    {0}};

static const pl_class message_class = {
    .name = "Message",
    .ports = "0/0",
    .processing = "a/a",
    .doc = "Message(MESSAGE [, TYPE])\n"
           "Prints a message when configured.\n\n"
           "Gives MESSAGE while the configuration is installed, as a message, a warning\n"
           "or an error (TYPE MESSAGE, the default, WARNING or ERROR), in the element's\n"
           "context: `pktlab click` prints it as Click does (\"FILE:LINE: While\n"
           "configuring 'm :: Message':\" and the text), Engine.messages() returns it.\n"
           "With TYPE ERROR the configuration fails. Documentation inside a\n"
           "configuration, or a deprecation notice.\n\n"
           "Keywords: MESSAGE (string), TYPE (MESSAGE, WARNING or ERROR).\n\n"
           "Example: Message(\"This configuration is deprecated; use fwd.click\", WARNING);",
    .state_size = sizeof(message_state),
    .params = params,
    .configure = message_configure,
};
PL_REGISTER_CLASS(message_class);
