/* The view types shared by view_types.c (the types) and view.c (decoding into them). */
#ifndef ALIYUN_LOG_VIEW_H
#define ALIYUN_LOG_VIEW_H
#include "wire.h"

typedef struct {
    PyObject_HEAD
    PyObject *key;
    PyObject *value;
} PairView;

typedef struct {
    PyObject_HEAD
    PyObject *time;
    PyObject *time_ns;  /* NULL when absent */
    PyObject *contents; /* NULL until first read */
    PyObject *body;     /* the LogGroupList bytes this log was read from */
    Py_ssize_t start, len;
} LogView;

typedef struct {
    PyObject_HEAD
    PyObject *logs; /* NULL until first read */
    PyObject *tags;
    PyObject *category, *topic, *source, *uuid; /* NULL when absent */
    PyObject *body;
    Py_ssize_t start, len;
} GroupView;

extern PyTypeObject ContentViewType, LogTagViewType, LogViewType, GroupViewType;

/* Built on first read (view.c). */
PyObject *log_contents(LogView *self, void *closure);
PyObject *group_logs(GroupView *self, void *closure);

/* A tuple made here needs no cycle detection: it holds only views, which hold no cycles. */
static inline PyObject *
untracked(PyObject *obj)
{
    if (obj != NULL && PyObject_IS_GC(obj) && PyObject_GC_IsTracked(obj)) {
        PyObject_GC_UnTrack(obj);
    }
    return obj;
}

#endif
