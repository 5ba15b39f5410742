/* The bounds-checked protobuf wire reader shared by the decoders (decode.c, view.c), and the
 * small caches they share. Every read checks the remaining length first; errors raise
 * CodecError("PostBodyInvalid", ...). The rules are upb's (see module.c). */
#ifndef ALIYUN_LOG_WIRE_H
#define ALIYUN_LOG_WIRE_H
#include "codec.h"

#define DEPTH_LIMIT 100

typedef struct {
    const uint8_t *p;
    const uint8_t *end;
} Reader;

typedef struct {
    const uint8_t *ptr;
    Py_ssize_t len;
} Span;

static inline int
bad(const char *what)
{
    CODEC_FAIL("PostBodyInvalid", "cannot parse log group list: %s", what);
    return -1;
}

static inline int
read_varint(Reader *r, uint64_t *out)
{
    uint64_t value = 0;
    for (int i = 0; i < 10; i++) {
        if (r->p >= r->end) {
            return bad("truncated varint");
        }
        uint8_t byte = *r->p++;
        value |= (uint64_t)(byte & 0x7F) << (7 * i);
        if (byte < 0x80) {
            *out = value;
            return 0;
        }
    }
    return bad("varint longer than 10 bytes");
}

/* A field key: at most 5 bytes and 32 bits. Field number 0 is refused in a message but, as upb
 * does, let through inside an unknown group, which is only skipped. */
static inline int
read_key(Reader *r, uint32_t *field, int *wire_type, int in_group)
{
    uint64_t value = 0;
    for (int i = 0; i < 5; i++) {
        if (r->p >= r->end) {
            return bad("truncated field key");
        }
        uint8_t byte = *r->p++;
        value |= (uint64_t)(byte & 0x7F) << (7 * i);
        if (byte < 0x80) {
            if (value > 0xFFFFFFFFULL) {
                return bad("field key over 32 bits");
            }
            if ((value >> 3) == 0 && !in_group) {
                return bad("field number 0");
            }
            *field = (uint32_t)(value >> 3);
            *wire_type = (int)(value & 7);
            return 0;
        }
    }
    return bad("field key longer than 5 bytes");
}

static inline int
read_span(Reader *r, Span *s)
{
    uint64_t len;
    if (read_varint(r, &len) < 0) {
        return -1;
    }
    if (len > (uint64_t)(r->end - r->p)) {
        return bad("length past the end of the data");
    }
    s->ptr = r->p;
    s->len = (Py_ssize_t)len;
    r->p += len;
    return 0;
}

#define read_tag(r, field, wire_type) read_key((r), (field), (wire_type), 0)

static inline int skip_field(Reader *r, uint32_t field, int wire_type, int depth);

/* Skip a group's fields up to its end-group key; depth is the budget left. */
static inline int
skip_group(Reader *r, uint32_t number, int depth)
{
    if (depth - 1 < 0) {
        return bad("nesting too deep");
    }
    for (;;) {
        uint32_t field;
        int wire_type;
        if (read_key(r, &field, &wire_type, 1) < 0) {
            return -1;
        }
        if (wire_type == 4) {
            if (field != number) {
                return bad("mismatched end of group");
            }
            return 0;
        }
        if (skip_field(r, field, wire_type, depth - 1) < 0) {
            return -1;
        }
    }
}

static inline int
skip_field(Reader *r, uint32_t field, int wire_type, int depth)
{
    uint64_t ignored;
    Span s;
    switch (wire_type) {
    case 0:
        return read_varint(r, &ignored);
    case 1:
        if (r->end - r->p < 8) {
            return bad("truncated fixed64");
        }
        r->p += 8;
        return 0;
    case 2:
        return read_span(r, &s);
    case 3:
        return skip_group(r, field, depth);
    case 5:
        if (r->end - r->p < 4) {
            return bad("truncated fixed32");
        }
        r->p += 4;
        return 0;
    case 4:
        return bad("unexpected end of group");
    default:
        return bad("invalid wire type");
    }
}

/* Key/Value of a Content or LogTag (last occurrence wins; absent means empty). */
static inline int
parse_pair(Span msg, Span *key, Span *value, int depth)
{
    Reader r = {msg.ptr, msg.ptr + msg.len};
    key->ptr = value->ptr = NULL;
    key->len = value->len = 0;
    while (r.p < r.end) {
        uint32_t field;
        int wire_type;
        if (read_tag(&r, &field, &wire_type) < 0) {
            return -1;
        }
        if (wire_type == 2 && (field == 1 || field == 2)) {
            if (read_span(&r, field == 1 ? key : value) < 0) {
                return -1;
            }
        } else if (skip_field(&r, field, wire_type, depth) < 0) {
            return -1;
        }
    }
    return 0;
}

/* True when every byte is below 0x80 (eight at a time). */
static inline int
is_ascii(Span s)
{
    const uint8_t *p = s.ptr, *end = s.ptr + s.len;
    uint64_t acc = 0;
    for (; end - p >= 8; p += 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        acc |= word;
    }
    for (; p < end; p++) {
        acc |= *p;
    }
    return (acc & 0x8080808080808080ULL) == 0;
}

/* str when valid UTF-8, else bytes (what upb hands back for a proto2 string field). */
static inline PyObject *
text_or_bytes(Span s)
{
    if (s.len == 0) {
        Py_INCREF(str_empty);
        return str_empty;
    }
    if (is_ascii(s)) {
        /* the common case: a compact ASCII str filled directly, without the UTF-8 decoder's setup */
        PyObject *ascii = PyUnicode_New(s.len, 127);
        if (ascii != NULL) {
            memcpy(PyUnicode_1BYTE_DATA(ascii), s.ptr, (size_t)s.len);
        }
        return ascii;
    }
    PyObject *text = PyUnicode_DecodeUTF8((const char *)s.ptr, s.len, NULL);
    if (text != NULL) {
        return text;
    }
    if (!PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) {
        return NULL;
    }
    PyErr_Clear();
    return PyBytes_FromStringAndSize((const char *)s.ptr, s.len);
}

/* Content keys repeat in every log of a group: a small direct-mapped cache of decoded keys. */
#define KEY_CACHE 256
typedef struct {
    Span span;
    PyObject *obj;
} KeySlot;

static inline PyObject *
cached_key(KeySlot *cache, Span s)
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
    KeySlot *slot = &cache[h % KEY_CACHE];
    if (slot->obj != NULL && slot->span.len == s.len && memcmp(slot->span.ptr, s.ptr, (size_t)s.len) == 0) {
        Py_INCREF(slot->obj);
        return slot->obj;
    }
    PyObject *obj = text_or_bytes(s);
    if (obj == NULL) {
        return NULL;
    }
    Py_XSETREF(slot->obj, obj);
    Py_INCREF(obj);
    slot->span = s;
    return obj;
}

typedef struct {
    Span *items;
    Py_ssize_t len;
    Py_ssize_t cap;
} Spans;

static inline int
spans_push(Spans *list, Span s)
{
    if (list->len == list->cap) {
        Py_ssize_t cap = list->cap ? list->cap * 2 : 64;
        Span *items = PyMem_Realloc(list->items, (size_t)cap * sizeof(Span));
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        list->items = items;
        list->cap = cap;
    }
    list->items[list->len++] = s;
    return 0;
}

/* The logs of a group mostly share their second: the last __time__ int made is reused. */
typedef struct {
    uint32_t seconds;
    PyObject *obj;
} TimeCache;

static inline PyObject *
time_object(TimeCache *cache, uint32_t seconds)
{
    if (cache->obj == NULL || cache->seconds != seconds) {
        PyObject *obj = PyLong_FromUnsignedLong((unsigned long)seconds);
        if (obj == NULL) {
            return NULL;
        }
        Py_XSETREF(cache->obj, obj);
        cache->seconds = seconds;
    }
    Py_INCREF(cache->obj);
    return cache->obj;
}

#endif
