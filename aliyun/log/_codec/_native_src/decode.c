/* Decoder: LogGroupList bytes to the dicts of aliyun/log/_codec/decode.py:flatten_log_group_list. */
#include "wire.h"

/* A dict with room for n entries: growing one entry at a time resizes it twice for a 10-field log. */
static PyObject *
new_dict(Py_ssize_t n)
{
#if PY_VERSION_HEX < 0x030D0000
    return _PyDict_NewPresized(n);
#else
    (void)n; /* private since 3.13 */
    return PyDict_New();
#endif
}


/* One Log into a new dict appended to out. */
static int
flatten_log(Span msg, PyObject *topic, PyObject *source, PyObject *tags, KeySlot *cache, TimeCache *times,
            PyObject *out)
{
    Reader r = {msg.ptr, msg.ptr + msg.len};
    uint64_t seconds = 0;
    uint32_t nanos = 0;
    const uint8_t *contents_start = NULL;
    Py_ssize_t n_contents = 0;
    /* first pass: Time and Time_ns (they may follow the contents) */
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        const uint8_t *field_start = r.p;
        if (read_tag(&r, &field, &wire_type) < 0) {
            return -1;
        }
        if (field == 1 && wire_type == 0) {
            if (read_varint(&r, &seconds) < 0) {
                return -1;
            }
        } else if (field == 4 && wire_type == 5) {
            if (r.end - r.p < 4) {
                return bad("truncated fixed32");
            }
            nanos = (uint32_t)r.p[0] | ((uint32_t)r.p[1] << 8) | ((uint32_t)r.p[2] << 16) | ((uint32_t)r.p[3] << 24);
            r.p += 4;
        } else {
            if (field == 2 && wire_type == 2) {
                if (contents_start == NULL) {
                    contents_start = field_start;
                }
                n_contents++;
            }
            if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 2) < 0) {
                return -1;
            }
        }
    }
    PyObject *item = new_dict(4 + PyList_GET_SIZE(tags) + n_contents);
    if (item == NULL) {
        return -1;
    }
    PyObject *time_obj = time_object(times, (uint32_t)seconds);
    if (time_obj == NULL || PyDict_SetItem(item, key_time, time_obj) < 0) {
        Py_XDECREF(time_obj);
        goto fail;
    }
    Py_DECREF(time_obj);
    if (PyDict_SetItem(item, key_topic, topic) < 0 || PyDict_SetItem(item, key_source, source) < 0) {
        goto fail;
    }
    if (nanos) {
        PyObject *ns = PyLong_FromUnsignedLong(nanos);
        if (ns == NULL || PyDict_SetItem(item, key_time_ns, ns) < 0) {
            Py_XDECREF(ns);
            goto fail;
        }
        Py_DECREF(ns);
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(tags); i++) {
        PyObject *pair = PyList_GET_ITEM(tags, i);
        if (PyDict_SetItem(item, PyTuple_GET_ITEM(pair, 0), PyTuple_GET_ITEM(pair, 1)) < 0) {
            goto fail;
        }
    }
    if (contents_start != NULL) {
        /* second pass: the contents, in order (the first pass already checked the framing) */
        r.p = contents_start;
        while (r.p < r.end) {
            uint32_t field;
            int wire_type;
            if (read_tag(&r, &field, &wire_type) < 0) {
                goto fail;
            }
            if (field == 2 && wire_type == 2) {
                Span content, key, value;
                if (read_span(&r, &content) < 0 || parse_pair(content, &key, &value, DEPTH_LIMIT - 3) < 0) {
                    goto fail;
                }
                PyObject *k = cached_key(cache, key);
                if (k == NULL) {
                    goto fail;
                }
                PyObject *v = text_or_bytes(value);
                if (v == NULL) {
                    Py_DECREF(k);
                    goto fail;
                }
                int rc = PyDict_SetItem(item, k, v);
                Py_DECREF(k);
                Py_DECREF(v);
                if (rc < 0) {
                    goto fail;
                }
            } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 2) < 0) {
                goto fail;
            }
        }
    }
    int rc = PyList_Append(out, item);
    Py_DECREF(item);
    return rc;
fail:
    Py_DECREF(item);
    return -1;
}

static PyObject *
tag_key(Span key)
{
    static const char prefix[] = "__tag__:";
    const Py_ssize_t plen = (Py_ssize_t)sizeof(prefix) - 1;
    if (key.len > PY_SSIZE_T_MAX - plen) {
        PyErr_NoMemory();
        return NULL;
    }
    char *buf = PyMem_Malloc((size_t)(plen + key.len) + 1);
    if (buf == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(buf, prefix, (size_t)plen);
    if (key.len) {
        memcpy(buf + plen, key.ptr, (size_t)key.len);
    }
    /* the prefix is ASCII, so this equals "__tag__:" + key.decode("utf-8", "backslashreplace") */
    PyObject *text = PyUnicode_DecodeUTF8(buf, plen + key.len, "backslashreplace");
    PyMem_Free(buf);
    return text;
}

static int
flatten_group(Span msg, KeySlot *cache, TimeCache *times, PyObject *out)
{
    Reader r = {msg.ptr, msg.ptr + msg.len};
    Span topic = {NULL, 0}, source = {NULL, 0};
    Spans logs = {NULL, 0, 0};
    PyObject *tags = PyList_New(0), *topic_obj = NULL, *source_obj = NULL;
    int rc = -1;
    if (tags == NULL) {
        return -1;
    }
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            goto done;
        }
        if (wire_type == 2 && (field == 1 || field == 3 || field == 4 || field == 6)) {
            Span s;
            if (read_span(&r, &s) < 0) {
                goto done;
            }
            if (field == 1) {
                if (spans_push(&logs, s) < 0) {
                    goto done;
                }
            } else if (field == 3) {
                topic = s;
            } else if (field == 4) {
                source = s;
            } else {
                Span key, value;
                if (parse_pair(s, &key, &value, DEPTH_LIMIT - 2) < 0) {
                    goto done;
                }
                PyObject *k = tag_key(key);
                if (k == NULL) {
                    goto done;
                }
                PyObject *v = text_or_bytes(value);
                if (v == NULL) {
                    Py_DECREF(k);
                    goto done;
                }
                PyObject *pair = PyTuple_Pack(2, k, v);
                Py_DECREF(k);
                Py_DECREF(v);
                if (pair == NULL || PyList_Append(tags, pair) < 0) {
                    Py_XDECREF(pair);
                    goto done;
                }
                Py_DECREF(pair);
            }
        } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 1) < 0) {
            goto done;
        }
    }
    topic_obj = text_or_bytes(topic);
    if (topic_obj == NULL) {
        goto done;
    }
    source_obj = text_or_bytes(source);
    if (source_obj == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < logs.len; i++) {
        if (flatten_log(logs.items[i], topic_obj, source_obj, tags, cache, times, out) < 0) {
            goto done;
        }
    }
    rc = 0;
done:
    PyMem_Free(logs.items);
    Py_DECREF(tags);
    Py_XDECREF(topic_obj);
    Py_XDECREF(source_obj);
    return rc;
}

PyObject *
codec_decode_flat_logs(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    PyObject *out = PyList_New(0);
    KeySlot cache[KEY_CACHE];
    TimeCache times = {0, NULL};
    memset(cache, 0, sizeof(cache));
    if (out == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    Reader r = {(const uint8_t *)view.buf, (const uint8_t *)view.buf + view.len};
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            goto fail;
        }
        if (field == 1 && wire_type == 2) {
            Span group;
            if (read_span(&r, &group) < 0 || flatten_group(group, cache, &times, out) < 0) {
                goto fail;
            }
        } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT) < 0) {
            goto fail;
        }
    }
    for (int i = 0; i < KEY_CACHE; i++) {
        Py_XDECREF(cache[i].obj);
    }
    Py_XDECREF(times.obj);
    PyBuffer_Release(&view);
    return out;
fail:
    for (int i = 0; i < KEY_CACHE; i++) {
        Py_XDECREF(cache[i].obj);
    }
    Py_XDECREF(times.obj);
    PyBuffer_Release(&view);
    Py_DECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* PutLogs validation: does a LogGroup parse (as upb parses it) with every required field set and
 * every Time_ns within 0..999999999? Only the answer "yes, with N logs" is trusted by the caller;
 * for anything else it asks the pure decoder, which gives the error (or, should this scanner be
 * stricter than upb somewhere, the count). Return 1 when valid, 0 when not, with no exception set. */

/* A Content or LogTag: Key (1) and Value (2) both present. */
static int
pair_complete(Span msg, int depth)
{
    Reader r = {msg.ptr, msg.ptr + msg.len};
    int has_key = 0, has_value = 0;
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            return 0;
        }
        if (wire_type == 2 && (field == 1 || field == 2)) {
            Span s;
            if (read_span(&r, &s) < 0) {
                return 0;
            }
            if (field == 1) {
                has_key = 1;
            } else {
                has_value = 1;
            }
        } else if (skip_field(&r, field, wire_type, depth) < 0) {
            return 0;
        }
    }
    return has_key && has_value;
}

static int
log_valid(Span msg)
{
    Reader r = {msg.ptr, msg.ptr + msg.len};
    int has_time = 0;
    uint32_t nanos = 0;
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            return 0;
        }
        if (field == 1 && wire_type == 0) {
            uint64_t ignored;
            if (read_varint(&r, &ignored) < 0) {
                return 0;
            }
            has_time = 1;
        } else if (field == 4 && wire_type == 5) {
            if (r.end - r.p < 4) {
                return 0;
            }
            nanos = (uint32_t)r.p[0] | ((uint32_t)r.p[1] << 8) | ((uint32_t)r.p[2] << 16) | ((uint32_t)r.p[3] << 24);
            r.p += 4;
        } else if (field == 2 && wire_type == 2) {
            Span content;
            if (read_span(&r, &content) < 0 || !pair_complete(content, DEPTH_LIMIT - 3)) {
                return 0;
            }
        } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 2) < 0) {
            return 0;
        }
    }
    return has_time && nanos <= 999999999u; /* the last Time_ns wins, as in the parsed message */
}

static int
group_valid(Span msg, Py_ssize_t *logs)
{
    Reader r = {msg.ptr, msg.ptr + msg.len};
    Py_ssize_t count = 0;
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            return 0;
        }
        if (wire_type == 2 && field >= 1 && field <= 6) {
            Span s;
            if (read_span(&r, &s) < 0) {
                return 0;
            }
            if (field == 1) {
                if (!log_valid(s)) {
                    return 0;
                }
                count++;
            } else if (field == 6 && !pair_complete(s, DEPTH_LIMIT - 2)) {
                return 0;
            }
        } else if (skip_field(&r, field, wire_type, DEPTH_LIMIT - 1) < 0) {
            return 0;
        }
    }
    *logs = count;
    return 1;
}

PyObject *
codec_check_log_group(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    Span all = {(const uint8_t *)view.buf, view.len};
    Py_ssize_t logs = 0;
    int ok = group_valid(all, &logs);
    PyBuffer_Release(&view);
    if (!ok) {
        PyErr_Clear(); /* the pure decoder says what is wrong */
        Py_RETURN_NONE;
    }
    return PyLong_FromSsize_t(logs);
}
