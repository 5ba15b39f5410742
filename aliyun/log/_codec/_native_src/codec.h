/* Shared declarations of the native codec (aliyun.log._codec._speedups). */
#ifndef ALIYUN_LOG_CODEC_H
#define ALIYUN_LOG_CODEC_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* Set once by the module's init (module.c). */
extern PyObject *CodecError; /* aliyun.log._codec.errors.CodecError */
extern PyObject *str_timestamp, *str_time_nano_part, *str_contents, *str_items, *str_empty;
extern PyObject *key_time, *key_topic, *key_source, *key_time_ns;

/* Raise CodecError(code, message); steals message (NULL: an error is already set). */
void raise_codec(const char *code, PyObject *message);
#define CODEC_FAIL(code, ...) raise_codec((code), PyUnicode_FromFormat(__VA_ARGS__))

PyObject *codec_encode_log_group(PyObject *self, PyObject *args, PyObject *kwargs);
PyObject *codec_encode_log(PyObject *self, PyObject *const *args, Py_ssize_t nargs);
PyObject *codec_lz4_decompress(PyObject *self, PyObject *const *args, Py_ssize_t nargs);
PyObject *codec_encode_fields(PyObject *self, PyObject *const *args, Py_ssize_t nargs);
PyObject *codec_encode_record(PyObject *self, PyObject *const *args, Py_ssize_t nargs);
PyObject *codec_decode_flat_logs(PyObject *self, PyObject *arg);
PyObject *codec_check_log_group(PyObject *self, PyObject *arg);
PyObject *codec_decode_views(PyObject *self, PyObject *data);
PyObject *codec_set_view_hook(PyObject *self, PyObject *hook);
/* Ready the view types (view.c) and add them to the module. */
int codec_view_types_ready(PyObject *module);

#endif
