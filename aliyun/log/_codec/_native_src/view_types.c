/* The view types (see view.c): static, not collected (they hold only strs, ints, bytes and tuples
 * of views, read-only, so no cycle can form; as Python subclasses, which are always collectable
 * heap types, allocating and freeing them cost a fifth of a consumer's time), with the message
 * methods delegated to the protobuf message the view stands for: view.py registers the function
 * that makes it (set_view_hook). */
#include "view.h"

#include <structmember.h>

static PyObject *zero;
static PyObject *message_hook; /* view -> its protobuf message */

static PyObject *
message_of(PyObject *self)
{
    if (message_hook == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "set_view_hook() was not called");
        return NULL;
    }
    return PyObject_CallOneArg(message_hook, self);
}

static int
is_view(PyObject *obj)
{
    PyTypeObject *t = Py_TYPE(obj);
    return t == &ContentViewType || t == &LogTagViewType || t == &LogViewType || t == &GroupViewType;
}

/* -- what a message has and a view does not: asked of the message ----------------------------- */

static PyObject *
view_getattro(PyObject *self, PyObject *name)
{
    PyObject *found = PyObject_GenericGetAttr(self, name);
    if (found != NULL || !PyErr_ExceptionMatches(PyExc_AttributeError) || !PyUnicode_Check(name)
        || PyUnicode_GET_LENGTH(name) == 0 || PyUnicode_READ_CHAR(name, 0) == '_') {
        return found;
    }
    PyErr_Clear();
    PyObject *message = message_of(self);
    if (message == NULL) {
        return NULL;
    }
    found = PyObject_GetAttr(message, name);
    Py_DECREF(message);
    return found;
}

static PyObject *
view_richcompare(PyObject *self, PyObject *other, int op)
{
    if (op != Py_EQ && op != Py_NE) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *mine = message_of(self);
    PyObject *theirs = mine == NULL ? NULL : is_view(other) ? message_of(other) : (Py_INCREF(other), other);
    PyObject *result = theirs == NULL ? NULL : PyObject_RichCompare(mine, theirs, op);
    Py_XDECREF(mine);
    Py_XDECREF(theirs);
    return result;
}

static PyObject *
view_str(PyObject *self)
{
    PyObject *message = message_of(self);
    PyObject *text = message == NULL ? NULL : PyObject_Str(message);
    Py_XDECREF(message);
    return text;
}

static PyObject *
view_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<%s>", Py_TYPE(self)->tp_name);
}

static PyObject *
view_to_message(PyObject *self, PyObject *unused)
{
    return message_of(self);
}

/* Pickles as the message itself. */
static PyObject *
view_reduce(PyObject *self, PyObject *unused)
{
    PyObject *message = message_of(self);
    if (message == NULL) {
        return NULL;
    }
    PyObject *from_string = PyObject_GetAttrString((PyObject *)Py_TYPE(message), "FromString");
    PyObject *data = from_string == NULL ? NULL : PyObject_CallMethod(message, "SerializeToString", NULL);
    PyObject *result = data == NULL ? NULL : Py_BuildValue("(O(O))", from_string, data);
    Py_XDECREF(from_string);
    Py_XDECREF(data);
    Py_DECREF(message);
    return result;
}

static PyMethodDef view_methods[] = {
    {"to_message", view_to_message, METH_NOARGS, "The protobuf message this view stands for (a new one each call)."},
    {"__reduce__", view_reduce, METH_NOARGS, NULL},
    {NULL},
};

/* -- fields ---------------------------------------------------------------------------------- */

static void
pair_dealloc(PairView *self)
{
    Py_XDECREF(self->key);
    Py_XDECREF(self->value);
    PyObject_Free(self);
}

static void
log_dealloc(LogView *self)
{
    Py_XDECREF(self->time);
    Py_XDECREF(self->time_ns);
    Py_XDECREF(self->contents);
    Py_XDECREF(self->body);
    PyObject_Free(self);
}

static void
group_dealloc(GroupView *self)
{
    Py_XDECREF(self->logs);
    Py_XDECREF(self->tags);
    Py_XDECREF(self->category);
    Py_XDECREF(self->topic);
    Py_XDECREF(self->source);
    Py_XDECREF(self->uuid);
    Py_XDECREF(self->body);
    PyObject_Free(self);
}

static PyObject *
or_default(PyObject *value, PyObject *fallback)
{
    PyObject *out = value != NULL ? value : fallback;
    Py_INCREF(out);
    return out;
}

static PyObject *
log_time_ns(LogView *self, void *closure)
{
    return or_default(self->time_ns, zero);
}

static PyObject *
log_span(LogView *self, void *closure)
{
    return Py_BuildValue("(Onn)", self->body, self->start, self->len);
}

#define GROUP_STRING(name, field)                                                                  \
    static PyObject *name(GroupView *self, void *closure) { return or_default(self->field, str_empty); }
GROUP_STRING(group_reserved, category)
GROUP_STRING(group_topic, topic)
GROUP_STRING(group_source, source)
GROUP_STRING(group_uuid, uuid)

static PyObject *
group_span(GroupView *self, void *closure)
{
    return Py_BuildValue("(Onn)", self->body, self->start, self->len);
}

static PyMemberDef pair_members[] = {
    {"Key", T_OBJECT_EX, offsetof(PairView, key), READONLY, NULL},
    {"Value", T_OBJECT_EX, offsetof(PairView, value), READONLY, NULL},
    {NULL},
};

static PyMemberDef log_members[] = {
    {"Time", T_OBJECT_EX, offsetof(LogView, time), READONLY, NULL},
    {NULL},
};

static PyGetSetDef log_getset[] = {
    {"Contents", (getter)log_contents, NULL, NULL, NULL},
    {"Time_ns", (getter)log_time_ns, NULL, NULL, NULL},
    {"_span", (getter)log_span, NULL, "(body, start, length) of this Log's bytes", NULL},
    {NULL},
};

static PyMemberDef group_members[] = {
    {"LogTags", T_OBJECT_EX, offsetof(GroupView, tags), READONLY, NULL},
    {NULL},
};

static PyGetSetDef group_getset[] = {
    {"Logs", (getter)group_logs, NULL, NULL, NULL},
    {"Reserved", (getter)group_reserved, NULL, NULL, NULL},
    {"Topic", (getter)group_topic, NULL, NULL, NULL},
    {"Source", (getter)group_source, NULL, NULL, NULL},
    {"MachineUUID", (getter)group_uuid, NULL, NULL, NULL},
    {"_span", (getter)group_span, NULL, "(body, start, length) of this LogGroup's bytes", NULL},
    {NULL},
};

#define VIEW_TYPE(cname, pyname, ctype, dealloc, doc, members, getset)                             \
    PyTypeObject cname = {                                                                         \
        PyVarObject_HEAD_INIT(NULL, 0).tp_name = "aliyun.log._codec.view." pyname,                 \
        .tp_basicsize = sizeof(ctype),                                                             \
        .tp_dealloc = (destructor)dealloc,                                                         \
        .tp_repr = view_repr,                                                                      \
        .tp_hash = PyObject_HashNotImplemented,                                                    \
        .tp_str = view_str,                                                                        \
        .tp_getattro = view_getattro,                                                              \
        .tp_flags = Py_TPFLAGS_DEFAULT,                                                            \
        .tp_doc = doc,                                                                             \
        .tp_richcompare = view_richcompare,                                                        \
        .tp_methods = view_methods,                                                                \
        .tp_members = members,                                                                     \
        .tp_getset = getset,                                                                       \
    };

VIEW_TYPE(ContentViewType, "ContentView", PairView, pair_dealloc, "A Log.Content: Key, Value.", pair_members, NULL)
VIEW_TYPE(LogTagViewType, "LogTagView", PairView, pair_dealloc, "A LogTag: Key, Value.", pair_members, NULL)
VIEW_TYPE(LogViewType, "LogView", LogView, log_dealloc, "A Log: Time, Time_ns, Contents.", log_members, log_getset)
VIEW_TYPE(GroupViewType, "LogGroupView", GroupView, group_dealloc,
          "A LogGroup: Logs, LogTags, Topic, Source, Reserved, MachineUUID.", group_members, group_getset)

PyObject *
codec_set_view_hook(PyObject *self, PyObject *hook)
{
    if (!PyCallable_Check(hook)) {
        PyErr_SetString(PyExc_TypeError, "set_view_hook() takes a callable");
        return NULL;
    }
    Py_INCREF(hook);
    Py_XSETREF(message_hook, hook);
    Py_RETURN_NONE;
}

int
codec_view_types_ready(PyObject *module)
{
    zero = PyLong_FromLong(0);
    PyTypeObject *types[] = {&ContentViewType, &LogTagViewType, &LogViewType, &GroupViewType};
    const char *names[] = {"ContentView", "LogTagView", "LogView", "LogGroupView"};
    if (zero == NULL) {
        return -1;
    }
    for (int i = 0; i < 4; i++) {
        if (PyType_Ready(types[i]) < 0) {
            return -1;
        }
        Py_INCREF(types[i]);
        if (PyModule_AddObject(module, names[i], (PyObject *)types[i]) < 0) {
            Py_DECREF(types[i]);
            return -1;
        }
    }
    return 0;
}
