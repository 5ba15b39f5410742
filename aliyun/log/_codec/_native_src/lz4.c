/* LZ4 block decompression straight into the bytes object that is returned.
 *
 * Why not the lz4 package's decompress: it fills a buffer of its own and then copies it into a new
 * bytes object, two allocations of the raw size per call. For a PullLogs answer of a few
 * megabytes the C allocator hands both back to the kernel when they are freed, so every answer
 * faulted about 2,000 pages in again (measured: ~7 ms of a 20 ms pull_logs on a VM). Here the
 * output is one bytes object of the declared size, written in place with the GIL released.
 * The lz4 package still compresses, and decompresses wherever this extension is not built;
 * tests/unit/test_codec_lz4.py holds this decoder to it byte for byte.
 *
 * The block format: a sequence is a token (high nibble: literal count, low nibble: match length
 * minus 4; 15 means more length bytes follow, each adding up to 255), the literals, then a
 * 2-byte little-endian offset back into the output and the match's extra length bytes. The last
 * sequence has literals only and ends the input; the format's end-of-block rules (no match in
 * the last 12 bytes, the last 5 bytes literals) are enforced as the reference decoder does. Every
 * read and write is bounds-checked; the output must come out exactly the declared size. */
#include "codec.h"

#include <stdint.h>
#include <string.h>

#define MFLIMIT 12
#define LASTLITERALS 5

/* Add the extra length bytes of a literal or match length; 0 on truncated input or a length
 * past ``limit`` (which no valid block of this output size can have). */
static int
extra_length(const uint8_t **ip, const uint8_t *iend, size_t *length, size_t limit)
{
    unsigned byte;
    do {
        if (*ip >= iend) {
            return 0;
        }
        byte = *(*ip)++;
        *length += byte;
        if (*length > limit) {
            return 0;
        }
    } while (byte == 255);
    return 1;
}

/* 1 when ``src`` decodes to exactly ``dst_len`` bytes at ``dst``; 0 for any malformed input. */
static int
lz4_block_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len)
{
    const uint8_t *ip = src, *const iend = src + src_len;
    uint8_t *op = dst, *const oend = dst + dst_len;
    for (;;) {
        if (ip >= iend) {
            return 0;
        }
        unsigned token = *ip++;
        size_t literals = token >> 4;
        if (literals == 15 && !extra_length(&ip, iend, &literals, dst_len)) {
            return 0;
        }
        if ((size_t)(iend - ip) < literals || (size_t)(oend - op) < literals) {
            return 0;
        }
        if (literals <= 16 && iend - ip >= 16 && oend - op >= 16) {
            memcpy(op, ip, 16); /* a fixed-size copy; the bytes past ``literals`` are rewritten later */
        } else {
            memcpy(op, ip, literals);
        }
        op += literals;
        ip += literals;
        if (ip == iend) {
            break; /* the last sequence: literals only */
        }
        if (oend - op < MFLIMIT) {
            return 0; /* a match may not start in the last 12 bytes of the block */
        }
        if (iend - ip < 2) {
            return 0;
        }
        size_t offset = (size_t)ip[0] | ((size_t)ip[1] << 8);
        ip += 2;
        if (offset == 0 || offset > (size_t)(op - dst)) {
            return 0;
        }
        size_t length = token & 15;
        if (length == 15 && !extra_length(&ip, iend, &length, dst_len)) {
            return 0;
        }
        length += 4;
        if ((size_t)(oend - op) < length + LASTLITERALS) {
            return 0; /* the last 5 bytes of the block are always literals */
        }
        const uint8_t *match = op - offset;
        if (offset >= 16 && (size_t)(oend - op) >= length + 16) {
            /* 16-byte steps: each source step lies wholly before the bytes it is copied to */
            for (size_t done = 0; done < length; done += 16) {
                memcpy(op + done, match + done, 16);
            }
        } else if (offset >= length) {
            memcpy(op, match, length);
        } else {
            for (size_t i = 0; i < length; i++) { /* overlapping: a repeated pattern */
                op[i] = match[i];
            }
        }
        op += length;
    }
    return op == oend;
}

PyObject *
codec_lz4_decompress(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "lz4_decompress() takes 2 arguments (%zd given)", nargs);
        return NULL;
    }
    Py_ssize_t raw_size = PyLong_AsSsize_t(args[1]);
    if (raw_size == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (raw_size < 0) {
        CODEC_FAIL("InvalidBodyRawSize", "raw size %zd is negative", raw_size);
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, raw_size);
    if (out == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    int ok;
    Py_BEGIN_ALLOW_THREADS
    ok = raw_size == 0 ? view.len == 0
                       : lz4_block_decode((const uint8_t *)view.buf, (size_t)view.len,
                                          (uint8_t *)PyBytes_AS_STRING(out), (size_t)raw_size);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (!ok) {
        Py_DECREF(out);
        CODEC_FAIL("DecompressError", "corrupt lz4 data, or not %zd bytes when decompressed", raw_size);
        return NULL;
    }
    return out;
}
