/*
 * Native LogGroup codec: the same results as aliyun/log/_codec/encode.py:encode_log_group and
 * flatten_log_group_list(decode_log_group_list(...)), without one Python object per field on the
 * way. Selected by aliyun/log/_codec/select.py; the pure-Python modules stay the definition of
 * the behaviour, and tests/unit/test_codec_native*.py hold the two to byte-identical results.
 *
 * Encoder: one output bytes object grown by doubling. Each Log's length is not known until its
 * contents are written, so 5 bytes are reserved for it and the body is moved back once the
 * length's varint size is known (cheaper than measuring every content twice).
 *
 * Decoder: a bounds-checked wire reader. Every read checks the remaining length first; errors
 * raise CodecError("PostBodyInvalid", ...). The wire rules (tag of at most 5 bytes and 32 bits,
 * varints of at most 10 bytes, field number 0 rejected outside groups, fields of the wrong wire type skipped as
 * unknown, groups skipped with a depth budget of 100) are those of the upb runtime the pure path
 * uses, so both accept and reject the same inputs.
 */
#include "codec.h"

PyObject *CodecError;
PyObject *str_timestamp, *str_time_nano_part, *str_contents, *str_items, *str_empty;
PyObject *key_time, *key_topic, *key_source, *key_time_ns;

void
raise_codec(const char *code, PyObject *message)
{
    if (message == NULL) {
        return;
    }
    PyObject *exc = PyObject_CallFunction(CodecError, "sO", code, message);
    Py_DECREF(message);
    if (exc != NULL) {
        PyErr_SetObject(CodecError, exc);
        Py_DECREF(exc);
    }
}


/* ------------------------------------------------------------------------------------------ */

PyDoc_STRVAR(encode_log_group_doc,
"encode_log_group(logs, topic, source, tags=(), machine_uuid=None, *, always_write_topic=True)\n"
"--\n\n"
"Serialize one LogGroup; same arguments, bytes and errors as the pure-Python encoder.");

PyDoc_STRVAR(encode_log_doc,
"encode_log(seconds, nanos, contents)\n"
"--\n\n"
"The Logs entry of one log, the bytes encode_log_group([(seconds, nanos, contents)], None, None,\n"
"always_write_topic=False) gives; same errors (same as the pure-Python function).");

PyDoc_STRVAR(lz4_decompress_doc,
"lz4_decompress(data, raw_size)\n"
"--\n\n"
"Decompress an LZ4 block into a new bytes object of exactly raw_size bytes (one allocation,\n"
"the GIL released); CodecError DecompressError for corrupt data or another size.");

PyDoc_STRVAR(encode_fields_doc,
"encode_fields(seconds, names, values, extra)\n"
"--\n\n"
"One Logs entry of the fields names[i] = text of values[i], then the extra (key, value) pairs;\n"
"None when a value is not str, int, float, bool or None (same as the pure-Python function).");

PyDoc_STRVAR(encode_record_doc,
"encode_record(record, spec)\n"
"--\n\n"
"A logging record's Logs entry; spec = (record type, names, attributes, flags, allowed keys or\n"
"None). None when the record is not for this path (same as the pure-Python function).");

PyDoc_STRVAR(flatten_doc,
"decode_flat_logs(data)\n"
"--\n\n"
"Decode a serialized LogGroupList into the dicts flatten_log_group_list gives for it.");

PyDoc_STRVAR(check_doc,
"check_log_group(data)\n"
"--\n\n"
"The log count of a serialized LogGroup that is valid for PutLogs (it parses, every required\n"
"field is set, every Time_ns is below 10**9); None when it is not (the pure decoder says why).");

PyDoc_STRVAR(views_doc,
"decode_views(data)\n"
"--\n\n"
"Decode serialized LogGroupList bytes into a tuple of group views (see view.c).");

PyDoc_STRVAR(view_hook_doc,
"set_view_hook(message_of)\n"
"--\n\n"
"The function giving a view's protobuf message (what views delegate the message methods to).");

static PyMethodDef methods[] = {
    {"encode_log_group", (PyCFunction)(void (*)(void))codec_encode_log_group, METH_VARARGS | METH_KEYWORDS,
     encode_log_group_doc},
    {"encode_log", (PyCFunction)(void (*)(void))codec_encode_log, METH_FASTCALL, encode_log_doc},
    {"lz4_decompress", (PyCFunction)(void (*)(void))codec_lz4_decompress, METH_FASTCALL, lz4_decompress_doc},
    {"encode_fields", (PyCFunction)(void (*)(void))codec_encode_fields, METH_FASTCALL, encode_fields_doc},
    {"encode_record", (PyCFunction)(void (*)(void))codec_encode_record, METH_FASTCALL, encode_record_doc},
    {"decode_flat_logs", codec_decode_flat_logs, METH_O, flatten_doc},
    {"check_log_group", codec_check_log_group, METH_O, check_doc},
    {"decode_views", codec_decode_views, METH_O, views_doc},
    {"set_view_hook", codec_set_view_hook, METH_O, view_hook_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "aliyun.log._codec._speedups",
    "Native LogGroup encoder and LogGroupList flattener (see aliyun.log._codec.select).", -1, methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    PyObject *errors = PyImport_ImportModule("aliyun.log._codec.errors");
    if (errors == NULL) {
        return NULL;
    }
    CodecError = PyObject_GetAttrString(errors, "CodecError");
    Py_DECREF(errors);
    if (CodecError == NULL) {
        return NULL;
    }
    str_timestamp = PyUnicode_InternFromString("timestamp");
    str_time_nano_part = PyUnicode_InternFromString("time_nano_part");
    str_contents = PyUnicode_InternFromString("contents");
    str_items = PyUnicode_InternFromString("items");
    str_empty = PyUnicode_FromStringAndSize("", 0);
    key_time = PyUnicode_InternFromString("__time__");
    key_topic = PyUnicode_InternFromString("__topic__");
    key_source = PyUnicode_InternFromString("__source__");
    key_time_ns = PyUnicode_InternFromString("__time_ns_part__");
    if (!str_timestamp || !str_time_nano_part || !str_contents || !str_items || !str_empty || !key_time
        || !key_topic || !key_source || !key_time_ns) {
        return NULL;
    }
    PyObject *created = PyModule_Create(&module);
    if (created == NULL || codec_view_types_ready(created) < 0) {
        Py_XDECREF(created);
        return NULL;
    }
    return created;
}
