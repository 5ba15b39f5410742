/* Encoder: LogItems / tuples / dicts to LogGroup bytes, identical to aliyun/log/_codec/encode.py. */
#include "codec.h"

#define MAX_UINT32 0xFFFFFFFFULL
#define MAX_NS 999999999LL
/* A Log body is prefixed by a 5-byte-at-most varint: 32 GiB per log is far past any limit. */
#define MAX_LOG_BODY ((1ULL << 35) - 1)


/* Turn a pending TypeError/ValueError into CodecError("InvalidParameter"), chained, as the pure
 * encoder's ``except (TypeError, ValueError, struct.error)`` does; anything else propagates. */
static void
wrap_encode_error(void)
{
    if (!PyErr_ExceptionMatches(PyExc_TypeError) && !PyErr_ExceptionMatches(PyExc_ValueError)) {
        return;
    }
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb != NULL && value != NULL) {
        PyException_SetTraceback(value, tb);
    }
    PyObject *msg = PyUnicode_FromFormat("cannot encode log group: %S", value ? value : Py_None);
    if (msg == NULL) {
        Py_XDECREF(type); Py_XDECREF(value); Py_XDECREF(tb);
        return;
    }
    PyObject *exc = PyObject_CallFunction(CodecError, "sO", "InvalidParameter", msg);
    Py_DECREF(msg);
    if (exc == NULL) {
        Py_XDECREF(type); Py_XDECREF(value); Py_XDECREF(tb);
        return;
    }
    if (value != NULL) {
        Py_INCREF(value);
        PyException_SetCause(exc, value); /* steals the new reference */
        Py_INCREF(value);
        PyException_SetContext(exc, value);
    }
    PyErr_SetObject(CodecError, exc);
    Py_DECREF(exc);
    Py_XDECREF(type); Py_XDECREF(value); Py_XDECREF(tb);
}


typedef struct {
    PyObject *bytes;   /* the output, over-allocated */
    char *data;
    Py_ssize_t len;
    Py_ssize_t cap;
} Out;

static int
out_reserve(Out *o, Py_ssize_t extra)
{
    if (extra > PY_SSIZE_T_MAX - o->len) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t need = o->len + extra;
    if (need <= o->cap) {
        return 0;
    }
    Py_ssize_t cap = o->cap;
    while (cap < need) {
        cap = cap > PY_SSIZE_T_MAX / 2 ? need : cap * 2;
    }
    if (_PyBytes_Resize(&o->bytes, cap) < 0) {
        return -1;
    }
    o->data = PyBytes_AS_STRING(o->bytes);
    o->cap = cap;
    return 0;
}

/* An empty output with room for ``cap`` bytes. */
static int
out_new(Out *o, Py_ssize_t cap)
{
    o->cap = cap;
    o->len = 0;
    o->bytes = PyBytes_FromStringAndSize(NULL, cap);
    if (o->bytes == NULL) {
        return -1;
    }
    o->data = PyBytes_AS_STRING(o->bytes);
    return 0;
}

static inline int
varint_size(uint64_t v)
{
    int n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static inline char *
put_varint(char *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (char)((v & 0x7F) | 0x80);
        v >>= 7;
    }
    *p++ = (char)v;
    return p;
}

/* Bytes of a key/value/topic. *tmp receives a new reference when a temporary had to be made
 * (non-ASCII text, memoryview); the caller releases it after copying. */
typedef struct {
    const char *ptr;
    Py_ssize_t len;
    PyObject *tmp;
} View;

enum { AS_VALUE, AS_KEY, AS_TEXT };

/* AS_VALUE: value.encode() for str, bytes(x) for bytes/bytearray/memoryview.
 * AS_KEY: as the pure encoder's cache requires a hashable key, bytearray is refused and a
 *         memoryview must hash (read-only byte views).
 * AS_TEXT: _utf8(): str, bytes, bytearray, memoryview. */
static int
get_view(PyObject *obj, int role, View *v, PyObject *owner)
{
    v->tmp = NULL;
    if (PyUnicode_Check(obj)) {
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(obj) < 0) { /* strings made through the old wchar_t API */
            return -1;
        }
#endif
        if (PyUnicode_IS_ASCII(obj)) {
            v->ptr = (const char *)PyUnicode_DATA(obj);
            v->len = PyUnicode_GET_LENGTH(obj);
            return 0;
        }
        if (role == AS_KEY) {
            /* keys repeat: let the str cache its UTF-8 form */
            v->ptr = PyUnicode_AsUTF8AndSize(obj, &v->len);
            return v->ptr == NULL ? -1 : 0;
        }
        v->tmp = PyUnicode_AsUTF8String(obj);
        if (v->tmp == NULL) {
            return -1;
        }
        v->ptr = PyBytes_AS_STRING(v->tmp);
        v->len = PyBytes_GET_SIZE(v->tmp);
        return 0;
    }
    if (PyBytes_Check(obj)) {
        v->ptr = PyBytes_AS_STRING(obj);
        v->len = PyBytes_GET_SIZE(obj);
        return 0;
    }
    if (PyByteArray_Check(obj)) {
        if (role == AS_KEY) {
            PyErr_SetString(PyExc_TypeError, "unhashable type: 'bytearray'");
            return -1;
        }
        v->ptr = PyByteArray_AS_STRING(obj);
        v->len = PyByteArray_GET_SIZE(obj);
        return 0;
    }
    if (PyMemoryView_Check(obj)) {
        if (role == AS_KEY && PyObject_Hash(obj) == -1) {
            return -1;
        }
        v->tmp = PyBytes_FromObject(obj);
        if (v->tmp == NULL) {
            return -1;
        }
        v->ptr = PyBytes_AS_STRING(v->tmp);
        v->len = PyBytes_GET_SIZE(v->tmp);
        return 0;
    }
    if (role == AS_VALUE) {
        CODEC_FAIL("InvalidParameter", "value of %R must be str or bytes, got %s", owner,
                   Py_TYPE(obj)->tp_name);
    } else {
        CODEC_FAIL("InvalidParameter", "expected str or bytes, got %s", Py_TYPE(obj)->tp_name);
    }
    return -1;
}

/* Unpack an iterable of exactly n items into out[] (new references), like ``a, b = x``. */
static int
unpack_n(PyObject *obj, PyObject **out, Py_ssize_t n)
{
    if (PyTuple_CheckExact(obj) || PyList_CheckExact(obj)) {
        Py_ssize_t size = PySequence_Fast_GET_SIZE(obj);
        if (size != n) {
            PyErr_Format(PyExc_ValueError, "expected %zd values to unpack, got %zd", n, size);
            return -1;
        }
        PyObject **items = PySequence_Fast_ITEMS(obj);
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_INCREF(items[i]);
            out[i] = items[i];
        }
        return 0;
    }
    PyObject *it = PyObject_GetIter(obj);
    if (it == NULL) {
        return -1;
    }
    Py_ssize_t got = 0;
    for (; got < n; got++) {
        PyObject *item = PyIter_Next(it);
        if (item == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_Format(PyExc_ValueError, "not enough values to unpack (expected %zd, got %zd)", n, got);
            }
            goto fail;
        }
        out[got] = item;
    }
    PyObject *extra = PyIter_Next(it);
    if (extra != NULL) {
        Py_DECREF(extra);
        PyErr_Format(PyExc_ValueError, "too many values to unpack (expected %zd)", n);
        goto fail;
    }
    if (PyErr_Occurred()) {
        goto fail;
    }
    Py_DECREF(it);
    return 0;
fail:
    Py_DECREF(it);
    for (Py_ssize_t i = 0; i < got; i++) {
        Py_DECREF(out[i]);
    }
    return -1;
}

/* Write one ``tag, len, 0a klen key 12 vlen value`` entry. */
static int
put_pair(Out *o, char tag, PyObject *key, PyObject *value, int key_role, int value_role)
{
    View k, v;
    if (get_view(key, key_role, &k, NULL) < 0) {
        return -1;
    }
    if (get_view(value, value_role, &v, key) < 0) {
        Py_XDECREF(k.tmp);
        return -1;
    }
    uint64_t inner = 2 + (uint64_t)varint_size((uint64_t)k.len) + (uint64_t)k.len
                     + (uint64_t)varint_size((uint64_t)v.len) + (uint64_t)v.len;
    int rc = -1;
    if (inner <= (uint64_t)PY_SSIZE_T_MAX - 11 && out_reserve(o, (Py_ssize_t)inner + 11) == 0) {
        char *p = o->data + o->len;
        *p++ = tag;
        p = put_varint(p, inner);
        *p++ = 0x0a;
        p = put_varint(p, (uint64_t)k.len);
        memcpy(p, k.ptr, (size_t)k.len);
        p += k.len;
        *p++ = 0x12;
        p = put_varint(p, (uint64_t)v.len);
        memcpy(p, v.ptr, (size_t)v.len);
        p += v.len;
        o->len = p - o->data;
        rc = 0;
    } else if (!PyErr_Occurred()) {
        PyErr_NoMemory();
    }
    Py_XDECREF(k.tmp);
    Py_XDECREF(v.tmp);
    return rc;
}

/* Iterate ``(key, value)`` pairs of a sequence, an iterable, or a dict (its items). */
static int
put_pairs(Out *o, char tag, PyObject *pairs, int key_role, int value_role)
{
    if (PyDict_CheckExact(pairs)) {
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(pairs, &pos, &key, &value)) {
            /* no Python code runs in put_pair for the accepted types, so the dict cannot change */
            Py_INCREF(key);
            Py_INCREF(value);
            int rc = put_pair(o, tag, key, value, key_role, value_role);
            Py_DECREF(key);
            Py_DECREF(value);
            if (rc < 0) {
                return -1;
            }
        }
        return 0;
    }
    PyObject *source;
    if (PyDict_Check(pairs)) {
        source = PyObject_CallMethodNoArgs(pairs, str_items);
        if (source == NULL) {
            return -1;
        }
    } else {
        Py_INCREF(pairs);
        source = pairs;
    }
    int rc = -1;
    PyObject *kv[2];
    if (PyList_CheckExact(source) || PyTuple_CheckExact(source)) {
        for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(source); i++) {
            PyObject *item = PySequence_Fast_GET_ITEM(source, i);
            Py_INCREF(item);
            int bad = unpack_n(item, kv, 2);
            Py_DECREF(item);
            if (bad) {
                goto done;
            }
            bad = put_pair(o, tag, kv[0], kv[1], key_role, value_role);
            Py_DECREF(kv[0]);
            Py_DECREF(kv[1]);
            if (bad) {
                goto done;
            }
        }
        rc = 0;
        goto done;
    }
    PyObject *it = PyObject_GetIter(source);
    if (it == NULL) {
        goto done;
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        int bad = unpack_n(item, kv, 2);
        Py_DECREF(item);
        if (!bad) {
            bad = put_pair(o, tag, kv[0], kv[1], key_role, value_role);
            Py_DECREF(kv[0]);
            Py_DECREF(kv[1]);
        }
        if (bad) {
            Py_DECREF(it);
            goto done;
        }
    }
    Py_DECREF(it);
    rc = PyErr_Occurred() ? -1 : 0;
done:
    Py_DECREF(source);
    return rc;
}

/* The three parts of one log entry: a 3-item iterable, or an object with LogItem's attributes
 * (tried when unpacking fails with TypeError, as the pure encoder does). New references. */
static int
log_parts(PyObject *entry, PyObject **parts)
{
    if (PyTuple_CheckExact(entry) || PyList_CheckExact(entry) || Py_TYPE(entry)->tp_iter != NULL
        || PySequence_Check(entry)) {
        if (unpack_n(entry, parts, 3) == 0) {
            return 0;
        }
        if (!PyErr_ExceptionMatches(PyExc_TypeError)) {
            return -1;
        }
        PyErr_Clear();
    }
    PyObject *names[3] = {str_timestamp, str_time_nano_part, str_contents};
    for (int i = 0; i < 3; i++) {
        parts[i] = PyObject_GetAttr(entry, names[i]);
        if (parts[i] == NULL) {
            for (int j = 0; j < i; j++) {
                Py_DECREF(parts[j]);
            }
            if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
                PyErr_Clear();
                CODEC_FAIL("InvalidParameter", "a log must be (time, time_ns, contents) or a LogItem, got %s",
                           Py_TYPE(entry)->tp_name);
            }
            return -1;
        }
    }
    return 0;
}

static int
put_time(Out *o, PyObject *seconds)
{
    long long value;
    int overflow = 0;
    if (PyLong_CheckExact(seconds)) {
        value = PyLong_AsLongLongAndOverflow(seconds, &overflow);
    } else {
        PyObject *index = PyNumber_Index(seconds);
        if (index == NULL) {
            return -1;
        }
        value = PyLong_AsLongLongAndOverflow(index, &overflow);
        Py_DECREF(index);
    }
    if (value == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (overflow || value < 0 || (unsigned long long)value > MAX_UINT32) {
        CODEC_FAIL("InvalidParameter", "log time %R is outside uint32", seconds);
        return -1;
    }
    char *p = o->data + o->len;
    *p++ = 0x08;
    p = put_varint(p, (uint64_t)value);
    o->len = p - o->data;
    return 0;
}

/* 1: write this nanosecond part, 0: omit it (None or negative), -1: error. */
static int
get_nanos(PyObject *nanos, uint32_t *out)
{
    if (nanos == Py_None) {
        return 0;
    }
    int overflow = 0;
    long long value;
    if (PyLong_CheckExact(nanos)) {
        value = PyLong_AsLongLongAndOverflow(nanos, &overflow);
        if (value == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (overflow < 0 || (!overflow && value < 0)) {
            return 0;
        }
        if (overflow > 0 || value > MAX_NS) {
            CODEC_FAIL("InvalidParameter", "nanosecond part %R is not in 0..999999999", nanos);
            return -1;
        }
        *out = (uint32_t)value;
        return 1;
    }
    /* Anything else goes through the comparisons and the integer conversion the pure encoder
     * (``nanos >= 0``, ``nanos > MAX``, struct's "I") applies. */
    PyObject *zero = PyLong_FromLong(0);
    if (zero == NULL) {
        return -1;
    }
    int ge = PyObject_RichCompareBool(nanos, zero, Py_GE);
    Py_DECREF(zero);
    if (ge <= 0) {
        return ge;
    }
    PyObject *limit = PyLong_FromLongLong(MAX_NS);
    if (limit == NULL) {
        return -1;
    }
    int gt = PyObject_RichCompareBool(nanos, limit, Py_GT);
    Py_DECREF(limit);
    if (gt < 0) {
        return -1;
    }
    if (gt) {
        CODEC_FAIL("InvalidParameter", "nanosecond part %R is not in 0..999999999", nanos);
        return -1;
    }
    PyObject *index = PyNumber_Index(nanos);
    if (index == NULL) {
        return -1;
    }
    value = PyLong_AsLongLongAndOverflow(index, &overflow);
    Py_DECREF(index);
    if (value == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (overflow || value < 0 || value > (long long)MAX_UINT32) {
        PyErr_SetString(PyExc_ValueError, "nanosecond part out of range for uint32");
        return -1;
    }
    *out = (uint32_t)value;
    return 1;
}

/* Open one ``Logs`` entry: its tag and 5 bytes reserved for the length (see finish_log), then the
 * time field. Sets *start (the tag's offset) and *body (where the Log's fields begin). */
static int
begin_log(Out *o, PyObject *seconds, Py_ssize_t *start, Py_ssize_t *body)
{
    /* tag + 5 reserved length bytes + the time field (at most 1 + 5 bytes) */
    if (out_reserve(o, 12) < 0) {
        return -1;
    }
    *start = o->len;
    o->data[o->len] = 0x0a;
    o->len += 6;
    *body = o->len;
    return put_time(o, seconds);
}

/* Write the length of the Log opened at ``start`` and move its body back over the unused
 * reserved bytes. */
static int
finish_log(Out *o, Py_ssize_t start, Py_ssize_t body)
{
    uint64_t size = (uint64_t)(o->len - body);
    if (size > MAX_LOG_BODY) {
        CODEC_FAIL("InvalidParameter", "one log is too large to encode");
        return -1;
    }
    int n = varint_size(size);
    if (n < 5) {
        memmove(o->data + start + 1 + n, o->data + body, (size_t)size);
        o->len -= 5 - n;
    }
    put_varint(o->data + start + 1, size);
    return 0;
}

/* One ``Logs`` entry from its three parts (borrowed references). */
static int
put_log_parts(Out *o, PyObject *seconds, PyObject *nanos_part, PyObject *contents)
{
    Py_ssize_t start, body;
    if (begin_log(o, seconds, &start, &body) < 0) {
        return -1;
    }
    if (put_pairs(o, 0x12, contents, AS_KEY, AS_VALUE) < 0) {
        return -1;
    }
    uint32_t nanos = 0;
    int has_nanos = get_nanos(nanos_part, &nanos);
    if (has_nanos < 0) {
        return -1;
    }
    if (has_nanos) {
        if (out_reserve(o, 5) < 0) {
            return -1;
        }
        char *p = o->data + o->len;
        p[0] = 0x25;
        p[1] = (char)(nanos & 0xFF);
        p[2] = (char)((nanos >> 8) & 0xFF);
        p[3] = (char)((nanos >> 16) & 0xFF);
        p[4] = (char)((nanos >> 24) & 0xFF);
        o->len += 5;
    }
    return finish_log(o, start, body);
}

static int
put_log(Out *o, PyObject *entry)
{
    PyObject *parts[3];
    if (log_parts(entry, parts) < 0) {
        return -1;
    }
    int rc = put_log_parts(o, parts[0], parts[1], parts[2]);
    Py_DECREF(parts[0]);
    Py_DECREF(parts[1]);
    Py_DECREF(parts[2]);
    return rc;
}

static int
put_text_field(Out *o, char tag, PyObject *text)
{
    View v;
    if (get_view(text, AS_TEXT, &v, NULL) < 0) {
        return -1;
    }
    int rc = out_reserve(o, v.len + 11);
    if (rc == 0) {
        char *p = o->data + o->len;
        *p++ = tag;
        p = put_varint(p, (uint64_t)v.len);
        memcpy(p, v.ptr, (size_t)v.len);
        o->len = (p - o->data) + v.len;
    }
    Py_XDECREF(v.tmp);
    return rc;
}

static int
encode_body(Out *o, PyObject *logs, PyObject *topic, PyObject *source, PyObject *tags,
            PyObject *machine_uuid, int always_write_topic)
{
    if (PyList_CheckExact(logs) || PyTuple_CheckExact(logs)) {
        for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(logs); i++) {
            PyObject *entry = PySequence_Fast_GET_ITEM(logs, i);
            Py_INCREF(entry);
            int rc = put_log(o, entry);
            Py_DECREF(entry);
            if (rc < 0) {
                return -1;
            }
        }
    } else {
        PyObject *it = PyObject_GetIter(logs);
        if (it == NULL) {
            return -1;
        }
        PyObject *entry;
        while ((entry = PyIter_Next(it)) != NULL) {
            int rc = put_log(o, entry);
            Py_DECREF(entry);
            if (rc < 0) {
                Py_DECREF(it);
                return -1;
            }
        }
        Py_DECREF(it);
        if (PyErr_Occurred()) {
            return -1;
        }
    }
    if (topic != Py_None || always_write_topic) {
        int truth = PyObject_IsTrue(topic);
        if (truth < 0 || put_text_field(o, 0x1a, truth ? topic : str_empty) < 0) {
            return -1;
        }
    }
    if (source != Py_None && put_text_field(o, 0x22, source) < 0) {
        return -1;
    }
    if (machine_uuid != Py_None && put_text_field(o, 0x2a, machine_uuid) < 0) {
        return -1;
    }
    return put_pairs(o, 0x32, tags, AS_TEXT, AS_TEXT);
}

PyObject *
codec_encode_log_group(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"logs", "topic", "source", "tags", "machine_uuid", "always_write_topic", NULL};
    PyObject *logs, *topic, *source, *tags = NULL, *machine_uuid = Py_None;
    int always_write_topic = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO|OO$p:encode_log_group", kwlist, &logs, &topic,
                                     &source, &tags, &machine_uuid, &always_write_topic)) {
        return NULL;
    }
    Out o;
    Py_ssize_t cap = 4096;
    if (PyList_CheckExact(logs) || PyTuple_CheckExact(logs)) {
        Py_ssize_t n = PySequence_Fast_GET_SIZE(logs);
        if (n < (PY_SSIZE_T_MAX - 4096) / 256) {
            cap += n * 256;
        }
    }
    if (out_new(&o, cap) < 0) {
        return NULL;
    }
    PyObject *empty_tags = NULL;
    if (tags == NULL) {
        empty_tags = PyTuple_New(0);
        if (empty_tags == NULL) {
            Py_DECREF(o.bytes);
            return NULL;
        }
        tags = empty_tags;
    }
    int rc = encode_body(&o, logs, topic, source, tags, machine_uuid, always_write_topic);
    Py_XDECREF(empty_tags);
    if (rc < 0) {
        Py_XDECREF(o.bytes);
        wrap_encode_error();
        return NULL;
    }
    if (_PyBytes_Resize(&o.bytes, o.len) < 0) {
        return NULL;
    }
    return o.bytes;
}


/* encode_log(seconds, nanos, contents): the one ``Logs`` entry encode_log_group writes for the
 * log (seconds, nanos, contents), without a group around it. The producer's per-send path: a
 * positional call and no list to build, which for a small log costs less than the encoding. */
PyObject *
codec_encode_log(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "encode_log() takes 3 arguments (%zd given)", nargs);
        return NULL;
    }
    Out o;
    if (out_new(&o, 512) < 0) {
        return NULL;
    }
    if (put_log_parts(&o, args[0], args[1], args[2]) < 0) {
        Py_XDECREF(o.bytes);
        wrap_encode_error();
        return NULL;
    }
    if (_PyBytes_Resize(&o.bytes, o.len) < 0) {
        return NULL;
    }
    return o.bytes;
}

/* The decimal text of recent ints: a record's process id and thread ident are the same int
 * value record after record (a new int object each time), its line number one of a few. A small
 * direct-mapped cache by value; the strs are immutable, so sharing one is invisible. */
#define INT_TEXTS 16
static struct {
    long long value;
    PyObject *text;
} int_texts[INT_TEXTS];

static PyObject *
int_text(PyObject *value)
{
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (overflow || (v == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return PyObject_Str(value);
    }
    uint64_t mixed = (uint64_t)v;
    mixed ^= mixed >> 29; /* thread idents are aligned addresses: fold the high bits in */
    mixed ^= mixed >> 13;
    size_t slot = (size_t)(mixed % INT_TEXTS);
    if (int_texts[slot].text != NULL && int_texts[slot].value == v) {
        Py_INCREF(int_texts[slot].text);
        return int_texts[slot].text;
    }
    PyObject *text = PyObject_Str(value);
    if (text != NULL) {
        Py_INCREF(text);
        Py_XSETREF(int_texts[slot].text, text);
        int_texts[slot].value = v;
    }
    return text;
}

/* Text of one field value for encode_fields: a new reference to a str, Py_None (borrowed) to
 * leave the field out, or NULL without an error set for a type it does not convert. */
static PyObject *
field_text(PyObject *value)
{
    if (PyUnicode_CheckExact(value)) {
        Py_INCREF(value);
        return value;
    }
    if (value == Py_None) {
        return Py_None;
    }
    /* exact types only: str() of these runs no Python code (a subclass may override __str__) */
    if (PyLong_CheckExact(value)) {
        return int_text(value);
    }
    if (PyFloat_CheckExact(value) || PyBool_Check(value)) {
        return PyObject_Str(value);
    }
    return NULL;
}

/* One Logs entry at ``seconds`` of the fields names[i] = text of values[i] (values already
 * checked to be of the types field_text converts), then the ``extra`` pairs (or Py_None). */
static PyObject *
encode_entry(PyObject *seconds, PyObject *names, PyObject *const *values, Py_ssize_t count, PyObject *extra)
{
    Out o;
    if (out_new(&o, 512) < 0) {
        return NULL;
    }
    Py_ssize_t start, body;
    if (begin_log(&o, seconds, &start, &body) < 0) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *text = field_text(values[i]);
        if (text == Py_None) {
            continue;
        }
        if (text == NULL) {
            goto fail; /* str() failed (checked types above) */
        }
        int rc = put_pair(&o, 0x12, PyTuple_GET_ITEM(names, i), text, AS_KEY, AS_VALUE);
        Py_DECREF(text);
        if (rc < 0) {
            goto fail;
        }
    }
    if (extra != Py_None && put_pairs(&o, 0x12, extra, AS_KEY, AS_VALUE) < 0) {
        goto fail;
    }
    if (finish_log(&o, start, body) < 0) {
        goto fail;
    }
    if (_PyBytes_Resize(&o.bytes, o.len) < 0) {
        return NULL;
    }
    return o.bytes;
fail:
    Py_XDECREF(o.bytes);
    wrap_encode_error();
    return NULL;
}

static int
is_field_value(PyObject *value)
{
    return PyUnicode_CheckExact(value) || value == Py_None || PyLong_CheckExact(value) || PyFloat_CheckExact(value)
           || PyBool_Check(value);
}

PyObject *
codec_encode_fields(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_Format(PyExc_TypeError, "encode_fields() takes 4 arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *seconds = args[0], *names = args[1], *values = args[2], *extra = args[3];
    if (!PyTuple_CheckExact(names) || !PyTuple_CheckExact(values)) {
        PyErr_SetString(PyExc_TypeError, "encode_fields() takes the names and the values as tuples");
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    if (PyTuple_GET_SIZE(values) != count) {
        CODEC_FAIL("InvalidParameter", "%zd field names for %zd values", count, PyTuple_GET_SIZE(values));
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        if (!is_field_value(PyTuple_GET_ITEM(values, i))) {
            Py_RETURN_NONE; /* the caller converts this record's values itself */
        }
    }
    return encode_entry(seconds, names, &PyTuple_GET_ITEM(values, 0), count, extra);
}

/* ---- encode_record: a logging record straight to its Logs entry ---------------------------- */

#define RECORD_MESSAGE 1  /* the first field is the message, the record's getMessage() */
#define RECORD_NO_DICT 2  /* a dict msg is not for this path (extract_json) */
#define RECORD_MAX_FIELDS 64
#define RECORD_SEEN_KEYS 32 /* a LogRecord has about 22 attributes (23 with message, 24 with taskName) */

static PyObject *key_msg, *key_args, *key_exc_info, *key_exc_text, *key_stack_info, *key_created, *key_message,
    *key_task_name;

static int
record_keys_ready(void)
{
    if (key_task_name != NULL) {
        return 0;
    }
    PyObject **slots[] = {&key_msg, &key_args, &key_exc_info, &key_exc_text, &key_stack_info, &key_created,
                          &key_message, &key_task_name};
    const char *texts[] = {"msg", "args", "exc_info", "exc_text", "stack_info", "created", "message", "taskName"};
    for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
        if (*slots[i] == NULL && (*slots[i] = PyUnicode_InternFromString(texts[i])) == NULL) {
            return -1;
        }
    }
    return 0;
}

/* The keys of the last record found to have no extras, in its dict's order, for the ``allowed``
 * set they were checked against: records are made by one __init__, so the next record's keys
 * are most often the same str objects in the same order, and an identity comparison stands for
 * the set lookup. Strong references: a cached key's address cannot be reused by another key. */
static PyObject *seen_allowed;
static PyObject *seen_keys[RECORD_SEEN_KEYS];
static char seen_task_name[RECORD_SEEN_KEYS];

/* 1: ``dict`` has only keys of ``allowed`` (str keys) and no taskName other than None; 0: it has
 * others (extras); -1: error. */
static int
without_extras(PyObject *dict, PyObject *allowed)
{
    if (seen_allowed != allowed) { /* another handler's set: what was learned does not apply */
        for (int i = 0; i < RECORD_SEEN_KEYS; i++) {
            Py_CLEAR(seen_keys[i]);
        }
        Py_INCREF(allowed);
        Py_XSETREF(seen_allowed, allowed);
    }
    Py_ssize_t pos = 0, index = 0;
    PyObject *key, *value;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        int is_task_name;
        if (index < RECORD_SEEN_KEYS && seen_keys[index] == key) {
            is_task_name = seen_task_name[index];
        } else {
            if (!PyUnicode_CheckExact(key)) {
                return 0; /* hashing other keys could run code that edits the dict */
            }
            int known = PySet_Contains(allowed, key);
            if (known <= 0) {
                return known;
            }
            is_task_name = key == key_task_name
                           || (PyUnicode_GET_LENGTH(key) == 8 && PyUnicode_Compare(key, key_task_name) == 0);
            if (index < RECORD_SEEN_KEYS) {
                Py_INCREF(key);
                Py_XSETREF(seen_keys[index], key);
                seen_task_name[index] = (char)is_task_name;
            }
        }
        if (is_task_name && value != Py_None) {
            return 0;
        }
        index++;
    }
    return 1;
}

/* The record's getMessage(): str(msg), then ``% args`` when args is true (a new reference). */
static PyObject *
record_message(PyObject *msg, PyObject *record_args)
{
    PyObject *text = PyObject_Str(msg);
    if (text == NULL) {
        return NULL;
    }
    int has_args = PyObject_IsTrue(record_args);
    if (has_args <= 0) {
        if (has_args < 0) {
            Py_CLEAR(text);
        }
        return text;
    }
    PyObject *formatted = PyNumber_Remainder(text, record_args);
    Py_DECREF(text);
    return formatted;
}

/* Look up ``key`` in ``dict``: 1 found (borrowed into *out), 0 missing, -1 error. */
static int
lookup(PyObject *dict, PyObject *key, PyObject **out)
{
    *out = PyDict_GetItemWithError(dict, key);
    return *out != NULL ? 1 : (PyErr_Occurred() ? -1 : 0);
}

PyObject *
codec_encode_record(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyTuple_CheckExact(args[1]) || PyTuple_GET_SIZE(args[1]) != 5) {
        PyErr_SetString(PyExc_TypeError, "encode_record() takes a record and a 5-tuple spec");
        return NULL;
    }
    PyObject *record = args[0], *spec = args[1];
    PyObject *record_type = PyTuple_GET_ITEM(spec, 0), *names = PyTuple_GET_ITEM(spec, 1);
    PyObject *attributes = PyTuple_GET_ITEM(spec, 2), *allowed = PyTuple_GET_ITEM(spec, 4);
    long flags = PyLong_AsLong(PyTuple_GET_ITEM(spec, 3));
    if (flags == -1 && PyErr_Occurred()) {
        return NULL;
    }
    int with_message = (flags & RECORD_MESSAGE) != 0;
    if (!PyTuple_CheckExact(names) || !PyTuple_CheckExact(attributes)
        || PyTuple_GET_SIZE(names) != PyTuple_GET_SIZE(attributes) + with_message
        || (allowed != Py_None && !PyFrozenSet_CheckExact(allowed))) {
        PyErr_SetString(PyExc_TypeError, "encode_record() spec: (type, names, attributes, flags, frozenset or None)");
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    if ((PyObject *)Py_TYPE(record) != record_type || count > RECORD_MAX_FIELDS || record_keys_ready() < 0) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    PyObject *dict = PyObject_GenericGetDict(record, NULL);
    if (dict == NULL) {
        return NULL;
    }
    PyObject *result = NULL, *message = NULL, *found;
    int rc = lookup(dict, key_msg, &found);
    if (rc <= 0 || ((flags & RECORD_NO_DICT) && PyDict_Check(found))) {
        goto fallback;
    }
    if (with_message) { /* exception and stack text come from format(): not this path */
        PyObject *keys[3] = {key_exc_info, key_exc_text, key_stack_info};
        for (int i = 0; i < 3; i++) {
            PyObject *value;
            if ((rc = lookup(dict, keys[i], &value)) <= 0 || (rc = PyObject_IsTrue(value)) != 0) {
                goto fallback;
            }
        }
    }
    if (allowed != Py_None && (rc = without_extras(dict, allowed)) <= 0) {
        goto fallback; /* the extras are the general path's */
    }
    if (with_message) {
        PyObject *msg, *record_args;
        if ((rc = lookup(dict, key_msg, &msg)) <= 0) {
            goto fallback;
        }
        Py_INCREF(msg);
        if ((rc = lookup(dict, key_args, &record_args)) <= 0) {
            Py_DECREF(msg);
            goto fallback;
        }
        Py_ssize_t size = PyDict_GET_SIZE(dict);
        Py_INCREF(record_args);
        message = record_message(msg, record_args);
        Py_DECREF(msg);
        Py_DECREF(record_args);
        if (message == NULL) {
            goto done;
        }
        /* A __str__ that added attributes to the record (extras): the general path sends them. */
        if (PyDict_GET_SIZE(dict) != size) {
            rc = 0;
            goto fallback;
        }
        if (PyDict_SetItem(dict, key_message, message) < 0) { /* what Formatter.format sets too */
            goto done;
        }
        if (!PyUnicode_CheckExact(message)) {
            rc = 0;
            goto fallback;
        }
    }
    /* From here on no Python code runs: the borrowed values stay valid. */
    PyObject *values[RECORD_MAX_FIELDS];
    if (with_message) {
        values[0] = message;
    }
    for (Py_ssize_t i = with_message; i < count; i++) {
        if ((rc = lookup(dict, PyTuple_GET_ITEM(attributes, i - with_message), &values[i])) <= 0) {
            goto fallback;
        }
        if (!is_field_value(values[i])) {
            rc = 0;
            goto fallback;
        }
    }
    PyObject *created;
    if ((rc = lookup(dict, key_created, &created)) <= 0 || !PyFloat_CheckExact(created)) {
        rc = rc < 0 ? -1 : 0;
        goto fallback;
    }
    PyObject *seconds = PyLong_FromDouble(PyFloat_AS_DOUBLE(created)); /* int(record.created) */
    if (seconds == NULL) {
        goto done;
    }
    result = encode_entry(seconds, names, values, count, Py_None);
    Py_DECREF(seconds);
    goto done;
fallback:
    if (rc >= 0) { /* not an error: the caller's general path takes this record */
        result = Py_None;
        Py_INCREF(result);
    }
done:
    Py_XDECREF(message);
    Py_DECREF(dict);
    return result;
}
