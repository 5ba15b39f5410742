/* Views: LogGroupList bytes to light objects with the fields of the protobuf messages.
 *
 * A consumer's processor walks log_groups.LogGroups -> .Logs -> .Contents -> .Key/.Value. On the
 * protobuf runtime every step creates a wrapper object and every .Key/.Value a new str, each
 * time it is read; here each field is made once and reading it again is a plain attribute load.
 * The types are in view_types.c; whatever else a message offers is answered by the message
 * parsed from the same bytes (aliyun/log/_codec/view.py).
 *
 * The whole body is checked when it is decoded (so a bad one fails there, as a protobuf parse
 * does); a group's Logs and a log's Contents are built on their first read, so a processor that
 * only counts logs does not pay for contents it never reads.
 *
 * Field values follow upb's parse of the same bytes (the last occurrence of a singular field
 * wins, a missing one reads as its default, str for UTF-8 and bytes otherwise).
 */
#include "view.h"

/* Content keys repeat across logs and batches: a small direct-mapped cache of ASCII key strs,
 * compared by their own bytes (a cached span could point into a body already freed). */
#define LAZY_KEYS 128
static PyObject *lazy_keys[LAZY_KEYS];

static PyObject *
key_object(Span s)
{
    if (s.len == 0) {
        Py_INCREF(str_empty);
        return str_empty;
    }
    uint32_t h = 2166136261u;
    for (Py_ssize_t i = 0; i < s.len && i < 32; i++) {
        h = (h ^ s.ptr[i]) * 16777619u;
    }
    h ^= (uint32_t)s.len;
    PyObject **slot = &lazy_keys[h % LAZY_KEYS];
    PyObject *cached = *slot;
    if (cached != NULL && PyUnicode_GET_LENGTH(cached) == s.len
        && memcmp(PyUnicode_1BYTE_DATA(cached), s.ptr, (size_t)s.len) == 0) {
        Py_INCREF(cached);
        return cached;
    }
    PyObject *obj = text_or_bytes(s);
    if (obj != NULL && PyUnicode_Check(obj) && PyUnicode_IS_COMPACT_ASCII(obj)) {
        Py_INCREF(obj);
        Py_XSETREF(*slot, obj);
    }
    return obj;
}

/* The logs of a batch mostly share their second: the last Time int made is reused. */
static TimeCache lazy_times = {0, NULL};

/* A Content or LogTag view (its framing is already checked). */
static PyObject *
new_pair(PyTypeObject *type, Span msg, int depth, int cache_key)
{
    Span key, value;
    if (parse_pair(msg, &key, &value, depth) < 0) {
        return NULL;
    }
    PyObject *k = cache_key ? key_object(key) : text_or_bytes(key);
    if (k == NULL) {
        return NULL;
    }
    PyObject *v = text_or_bytes(value);
    if (v == NULL) {
        Py_DECREF(k);
        return NULL;
    }
    PairView *pair = PyObject_New(PairView, type);
    if (pair == NULL) {
        Py_DECREF(k);
        Py_DECREF(v);
        return NULL;
    }
    pair->key = k;
    pair->value = v;
    return (PyObject *)pair;
}

/* -- checking a body (all errors are found here, before any view exists) -------------------- */

static int
check_log(Span msg, Py_ssize_t *contents)
{
    Reader r = {msg.ptr, msg.ptr + msg.len};
    Py_ssize_t n = 0;
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            return -1;
        }
        if (field == 2 && wire_type == 2) {
            Span content, key, value;
            if (read_span(&r, &content) < 0 || parse_pair(content, &key, &value, DEPTH_LIMIT - 3) < 0) {
                return -1;
            }
            n++;
        } else if (field == 4 && wire_type == 5) {
            if (r.end - r.p < 4) {
                return bad("truncated fixed32");
            }
            r.p += 4;
        } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 2) < 0) {
            return -1;
        }
    }
    *contents = n;
    return 0;
}

static int
check_group(Span msg)
{
    Reader r = {msg.ptr, msg.ptr + msg.len};
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            return -1;
        }
        if (wire_type == 2 && field >= 1 && field <= 6) {
            Span s, key, value;
            Py_ssize_t ignored;
            if (read_span(&r, &s) < 0) {
                return -1;
            }
            if (field == 1 && check_log(s, &ignored) < 0) {
                return -1;
            }
            if (field == 6 && parse_pair(s, &key, &value, DEPTH_LIMIT - 2) < 0) {
                return -1;
            }
        } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 1) < 0) {
            return -1;
        }
    }
    return 0;
}

/* -- building views (of checked bytes) -------------------------------------------------------- */

static PyObject *
new_log(PyObject *body, const uint8_t *base, Span msg)
{
    Reader r = {msg.ptr, msg.ptr + msg.len};
    uint64_t seconds = 0;
    int has_nanos = 0;
    uint32_t nanos = 0;
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            return NULL;
        }
        if (field == 1 && wire_type == 0) {
            if (read_varint(&r, &seconds) < 0) {
                return NULL;
            }
        } else if (field == 4 && wire_type == 5) {
            if (r.end - r.p < 4) {
                bad("truncated fixed32");
                return NULL;
            }
            nanos = (uint32_t)r.p[0] | ((uint32_t)r.p[1] << 8) | ((uint32_t)r.p[2] << 16) | ((uint32_t)r.p[3] << 24);
            has_nanos = 1;
            r.p += 4;
        } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 2) < 0) {
            return NULL;
        }
    }
    LogView *log = PyObject_New(LogView, &LogViewType);
    if (log == NULL) {
        return NULL;
    }
    log->time = log->time_ns = log->contents = NULL;
    Py_INCREF(body);
    log->body = body;
    log->start = msg.ptr - base;
    log->len = msg.len;
    log->time = time_object(&lazy_times, (uint32_t)seconds);
    if (log->time == NULL) {
        Py_DECREF(log);
        return NULL;
    }
    if (has_nanos) {
        log->time_ns = PyLong_FromUnsignedLong(nanos);
        if (log->time_ns == NULL) {
            Py_DECREF(log);
            return NULL;
        }
    }
    return (PyObject *)log;
}

/* Log.Contents, built on first read. */
PyObject *
log_contents(LogView *self, void *closure)
{
    if (self->contents == NULL) {
        const uint8_t *base = (const uint8_t *)PyBytes_AS_STRING(self->body);
        Span msg = {base + self->start, self->len};
        Py_ssize_t n = 0;
        if (check_log(msg, &n) < 0) {
            return NULL;
        }
        PyObject *contents = PyTuple_New(n);
        if (contents == NULL) {
            return NULL;
        }
        Reader r = {msg.ptr, msg.ptr + msg.len};
        Py_ssize_t i = 0;
        while (r.p < r.end && i < n) {
            uint32_t field;
            int wire_type;
            if (read_tag(&r, &field, &wire_type) < 0) {
                Py_DECREF(contents);
                return NULL;
            }
            if (field == 2 && wire_type == 2) {
                Span content;
                PyObject *pair = NULL;
                if (read_span(&r, &content) == 0) {
                    pair = new_pair(&ContentViewType, content, DEPTH_LIMIT - 3, 1);
                }
                if (pair == NULL) {
                    Py_DECREF(contents);
                    return NULL;
                }
                PyTuple_SET_ITEM(contents, i++, pair);
            } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 2) < 0) {
                Py_DECREF(contents);
                return NULL;
            }
        }
        self->contents = untracked(contents);
    }
    Py_INCREF(self->contents);
    return self->contents;
}

/* LogGroup.Logs, built on first read. */
PyObject *
group_logs(GroupView *self, void *closure)
{
    if (self->logs == NULL) {
        const uint8_t *base = (const uint8_t *)PyBytes_AS_STRING(self->body);
        Span msg = {base + self->start, self->len};
        PyObject *logs = PyList_New(0);
        if (logs == NULL) {
            return NULL;
        }
        Reader r = {msg.ptr, msg.ptr + msg.len};
        while (r.p < r.end) {
            uint32_t field;
            int wire_type;
            if (read_tag(&r, &field, &wire_type) < 0) {
                goto fail;
            }
            if (field == 1 && wire_type == 2) {
                Span s;
                if (read_span(&r, &s) < 0) {
                    goto fail;
                }
                PyObject *log = new_log(self->body, base, s);
                if (log == NULL || PyList_Append(logs, log) < 0) {
                    Py_XDECREF(log);
                    goto fail;
                }
                Py_DECREF(log);
            } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 1) < 0) {
                goto fail;
            }
        }
        self->logs = untracked(PyList_AsTuple(logs));
        Py_DECREF(logs);
        if (self->logs == NULL) {
            return NULL;
        }
        Py_INCREF(self->logs);
        return self->logs;
    fail:
        Py_DECREF(logs);
        return NULL;
    }
    Py_INCREF(self->logs);
    return self->logs;
}

/* Set *slot to the decoded string (the last occurrence wins). */
static int
set_string(PyObject **slot, Span s)
{
    PyObject *text = text_or_bytes(s);
    if (text == NULL) {
        return -1;
    }
    Py_XSETREF(*slot, text);
    return 0;
}

static PyObject *
new_group(PyObject *body, const uint8_t *base, Span msg)
{
    Reader r = {msg.ptr, msg.ptr + msg.len};
    GroupView *group = PyObject_New(GroupView, &GroupViewType);
    if (group != NULL) {
        group->logs = group->tags = group->category = group->topic = group->source = group->uuid = NULL;
        group->body = NULL;
    }
    PyObject *tags = PyList_New(0);
    if (group == NULL || tags == NULL) {
        Py_XDECREF(group);
        Py_XDECREF(tags);
        return NULL;
    }
    Py_INCREF(body);
    group->body = body;
    group->start = msg.ptr - base;
    group->len = msg.len;
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            goto fail;
        }
        if (wire_type == 2 && field >= 2 && field <= 6) {
            Span s;
            if (read_span(&r, &s) < 0) {
                goto fail;
            }
            if (field == 6) {
                PyObject *tag = new_pair(&LogTagViewType, s, DEPTH_LIMIT - 2, 0);
                if (tag == NULL || PyList_Append(tags, tag) < 0) {
                    Py_XDECREF(tag);
                    goto fail;
                }
                Py_DECREF(tag);
            } else if (set_string(field == 2   ? &group->category
                                  : field == 3 ? &group->topic
                                  : field == 4 ? &group->source
                                               : &group->uuid,
                                  s)
                       < 0) {
                goto fail;
            }
        } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 1) < 0) {
            goto fail;
        }
    }
    group->tags = untracked(PyList_AsTuple(tags));
    Py_DECREF(tags);
    if (group->tags == NULL) {
        Py_DECREF(group);
        return NULL;
    }
    return (PyObject *)group;
fail:
    Py_DECREF(tags);
    Py_DECREF(group);
    return NULL;
}

PyObject *
codec_decode_views(PyObject *self, PyObject *data)
{
    if (!PyBytes_Check(data)) {
        PyErr_SetString(PyExc_TypeError, "decode_views() takes bytes");
        return NULL;
    }
    const uint8_t *base = (const uint8_t *)PyBytes_AS_STRING(data);
    Py_ssize_t count = 0;
    Reader r = {base, base + PyBytes_GET_SIZE(data)};
    while (r.p < r.end) { /* check everything first: a bad body raises here, not when a field is read */
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            return NULL;
        }
        if (field == 1 && wire_type == 2) {
            Span s;
            if (read_span(&r, &s) < 0 || check_group(s) < 0) {
                return NULL;
            }
            count++;
        } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT) < 0) {
            return NULL;
        }
    }
    PyObject *groups = PyTuple_New(count);
    if (groups == NULL) {
        return NULL;
    }
    Py_ssize_t i = 0;
    r.p = base;
    while (r.p < r.end && i < count) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            goto fail;
        }
        if (field == 1 && wire_type == 2) {
            Span s;
            if (read_span(&r, &s) < 0) {
                goto fail;
            }
            PyObject *group = new_group(data, base, s);
            if (group == NULL) {
                goto fail;
            }
            PyTuple_SET_ITEM(groups, i++, group);
        } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT) < 0) {
            goto fail;
        }
    }
    return untracked(groups);
fail:
    Py_DECREF(groups);
    return NULL;
}
