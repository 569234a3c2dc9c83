/* test-checkpoint.c — safetensors and model folders: round trips, and every way a file can
 * be broken, each with its own error. */
#include "config.h"

#include <math.h>

#include "engine/checkpoint.h"
#include "engine/error.h"
#include "test-common.h"

/* A file built by hand: an 8-byte length, the header text, then the data bytes. */
static GBytes *
make_file (const char *header,
           guint64     claimed_len,
           size_t      data_bytes)
{
  GByteArray *b = g_byte_array_new ();
  guint8 len[8];

  for (int i = 0; i < 8; i++)
    len[i] = (claimed_len >> (8 * i)) & 0xff;
  g_byte_array_append (b, len, 8);
  g_byte_array_append (b, (const guint8 *) header, strlen (header));
  for (size_t i = 0; i < data_bytes; i++)
    {
      guint8 z = (guint8) i;
      g_byte_array_append (b, &z, 1);
    }
  return g_byte_array_free_to_bytes (b);
}

static void
expect_parse_error (const char *header,
                    gint64      claimed_len,  /* -1: the header's own length */
                    size_t      data_bytes,
                    const char *needle)
{
  g_autoptr(GBytes) file = make_file (header, claimed_len < 0 ? strlen (header) : (guint64) claimed_len,
                                      data_bytes);
  g_autoptr(GError) error = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (file, &size);
  TriadSafetensors *st = triad_safetensors_parse (data, size, &error);

  g_assert_null (st);
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT);
  if (strstr (error->message, needle) == NULL)
    g_error ("expected “%s” in “%s”", needle, error->message);
}

static void
test_parse_good (void)
{
  /* two tensors: a (2, 3) at bytes [0, 24), b (2) at [24, 32) */
  const char *h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                  "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
                  "\"__metadata__\":{\"x\":\"y\"}}";
  g_autoptr(GBytes) file = make_file (h, strlen (h), 32);
  g_autoptr(GError) error = NULL;
  g_autoptr(TriadSafetensors) st = NULL;
  const TriadTensorInfo *a, *b;
  gsize size;
  const guint8 *data = g_bytes_get_data (file, &size);

  st = triad_safetensors_parse (data, size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (triad_safetensors_n_tensors (st), ==, 2);
  a = triad_safetensors_lookup (st, "a");
  b = triad_safetensors_lookup (st, "b");
  g_assert_nonnull (a);
  g_assert_cmpint (a->ndim, ==, 2);
  g_assert_cmpuint (a->shape[1], ==, 3);
  g_assert_cmpuint (a->numel, ==, 6);
  g_assert_cmpuint (b->begin, ==, 24);
  /* b's first byte is the 24th data byte, whose value make_file set to 24 */
  g_assert_cmpint (triad_safetensors_data (st, b)[0], ==, 24);
  g_assert_null (triad_safetensors_lookup (st, "__metadata__"));
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  const guint8 five[5] = { 1, 2, 3, 4, 5 };

  g_assert_null (triad_safetensors_parse (five, 5, &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT);
  g_assert_nonnull (strstr (error->message, "truncated"));
  /* a tensor whose data the file no longer holds: offsets [0, 24) but 16 bytes left */
  expect_parse_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}",
                      -1, 16, "outside");
}

static void
test_header_past_end (void)
{
  /* the length says 4,000 bytes of header; the file has 40 */
  expect_parse_error ("{\"a\":{}}                        ", 4000, 0, "past the end");
}

static void
test_bad_json (void)
{
  expect_parse_error ("{\"a\": [1, 2", -1, 0, "not valid JSON");
  expect_parse_error ("[1, 2, 3]", -1, 0, "not a JSON object");
}

static void
test_shape_mismatch (void)
{
  /* shape (2, 3) needs 24 bytes; the offsets give 20 */
  expect_parse_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}",
                      -1, 24, "needs 24 bytes");
}

static void
test_wrong_dtype (void)
{
  /* FP8 is a dtype of the format that Triad does not read */
  expect_parse_error ("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}",
                      -1, 2, "F8_E4M3");
  /* two F16 elements take 4 bytes, not 8 */
  expect_parse_error ("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                      -1, 8, "needs 4 bytes");
}

/* Known bit patterns, worked out from the formats' definitions: F16 0x3c00 = 1, 0xc000 = -2,
 * 0x7bff = 65504 (the largest), 0x0001 = 2⁻²⁴ (the smallest subnormal), 0x7c00 = +∞;
 * BF16 0x3f80 = 1, 0x4049 = 3.140625, 0xc2f7 = -123.5. */
static void
test_half_widening (void)
{
  const guint8 f16[] = { 0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c };
  const guint8 bf16[] = { 0x80, 0x3f, 0x49, 0x40, 0xf7, 0xc2 };
  float out[5];

  g_assert_true (triad_st_to_f32 (TRIAD_ST_F16, f16, 5, out));
  g_assert_cmpfloat (out[0], ==, 1.0f);
  g_assert_cmpfloat (out[1], ==, -2.0f);
  g_assert_cmpfloat (out[2], ==, 65504.0f);
  g_assert_cmpfloat (out[3], ==, 5.9604644775390625e-08f);
  g_assert_true (isinf (out[4]) && out[4] > 0);
  g_assert_true (triad_st_to_f32 (TRIAD_ST_BF16, bf16, 3, out));
  g_assert_cmpfloat (out[0], ==, 1.0f);
  g_assert_cmpfloat (out[1], ==, 3.140625f);
  g_assert_cmpfloat (out[2], ==, -123.5f);
  g_assert_false (triad_st_to_f32 (TRIAD_ST_I64, bf16, 0, out));
}

static void
test_offsets_out_of_bounds (void)
{
  expect_parse_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[100,108]}}",
                      -1, 8, "outside");
  expect_parse_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}",
                      -1, 8, "outside");
  expect_parse_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}",
                      -1, 8, "offset");
  expect_parse_error ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}",
                      -1, 8, "pair");
}

static void
test_write_read (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "t.safetensors", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mf = NULL;
  g_autoptr(TriadSafetensors) st = NULL;
  const float a[] = { 1.5f, -2.0f, 3.25f, 0.0f, 1e-8f, 7.0f }, b[] = { 42.0f };
  const char *names[] = { "alpha", "beta" };
  const int ndims[] = { 2, 1 };
  const size_t shapes[][4] = { { 3, 2 }, { 1 } };
  const float *data[] = { a, b };
  const TriadTensorInfo *info;

  g_assert_true (triad_safetensors_write (path, 2, names, ndims, shapes, data, &error));
  g_assert_no_error (error);
  mf = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  st = triad_safetensors_parse ((const guint8 *) g_mapped_file_get_contents (mf),
                                g_mapped_file_get_length (mf), &error);
  g_assert_no_error (error);
  info = triad_safetensors_lookup (st, "alpha");
  g_assert_cmpuint (info->shape[0], ==, 3);
  g_assert_cmpuint (info->shape[1], ==, 2);
  /* the data starts 8-byte aligned, so the floats map in place */
  g_assert_cmpuint (((guintptr) triad_safetensors_data (st, info)) % 4, ==, 0);
  g_assert_cmpmem (triad_safetensors_data (st, info), sizeof a, a, sizeof a);
  info = triad_safetensors_lookup (st, "beta");
  g_assert_cmpmem (triad_safetensors_data (st, info), sizeof b, b, sizeof b);
  g_clear_pointer (&st, triad_safetensors_free);
  g_clear_pointer (&mf, g_mapped_file_unref);

  /* a folder that does not exist: an error, and nothing written anywhere */
  {
    g_autofree char *bad = g_build_filename (dir, "missing", "t.safetensors", NULL);
    g_assert_false (triad_safetensors_write (bad, 2, names, ndims, shapes, data, &error));
    g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT);
  }
  test_rmdir (dir);
}

static TriadModel *
model_with_tokenizer (TriadArch arch)
{
  TriadModel *m = test_model (arch, 17);
  m->tokenizer = test_tokenizer (m->config.vocab_size);
  return m;
}

static void
test_model_round_trip (void)
{
  for (TriadArch arch = TRIAD_ARCH_ENCODER; arch <= TRIAD_ARCH_ENCDEC; arch++)
    {
      g_autofree char *dir = test_tmpdir ();
      g_autoptr(TriadModel) m = model_with_tokenizer (arch);
      g_autoptr(TriadModel) back = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree TriadTensorSpec *a = NULL, *b = NULL;
      int na, nb;

      /* the encoder's segment positions travel with the configuration */
      m->config.segment_positions = arch == TRIAD_ARCH_ENCODER;
      g_assert_true (triad_model_save (m, dir, &error));
      g_assert_no_error (error);
      back = triad_model_load (dir, &error);
      g_assert_no_error (error);
      g_assert_cmpint (back->config.arch, ==, arch);
      g_assert_cmpint (back->config.segment_positions, ==, arch == TRIAD_ARCH_ENCODER);
      g_assert_cmpint (back->config.dim, ==, m->config.dim);
      g_assert_cmpfloat (back->config.norm_eps, ==, m->config.norm_eps);
      g_assert_cmpuint (back->n_params, ==, triad_config_n_params (&m->config));
      /* weights come back bit for bit, mapped from the file */
      g_assert_nonnull (back->mapped);
      a = triad_tensor_table (&m->config, &m->weights, &na);
      b = triad_tensor_table (&back->config, &back->weights, &nb);
      g_assert_cmpint (na, ==, nb);
      for (int i = 0; i < na; i++)
        g_assert_cmpmem (*a[i].slot, a[i].numel * 4, *b[i].slot, b[i].numel * 4);
      g_assert_cmpint (triad_tokenizer_vocab_size (back->tokenizer), ==, m->config.vocab_size);
      test_rmdir (dir);
    }
}

static void
write_text (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *p = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (p, text, -1, NULL));
}

static void
expect_load_error (const char *dir,
                   GQuark      domain,
                   int         code,
                   const char *needle)
{
  g_autoptr(GError) error = NULL;
  TriadModel *m = triad_model_load (dir, &error);

  g_assert_null (m);
  g_assert_error (error, domain, code);
  if (strstr (error->message, needle) == NULL)
    g_error ("expected “%s” in “%s”", needle, error->message);
}

static void
test_model_errors (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "nowhere", NULL);
  g_autofree char *weights = g_build_filename (dir, "model.safetensors", NULL);
  g_autoptr(TriadModel) m = model_with_tokenizer (TRIAD_ARCH_DECODER);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  expect_load_error (missing, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND, "nowhere");
  g_assert_true (triad_model_save (m, dir, &error));
  g_assert_true (g_file_get_contents (weights, &contents, &len, NULL));

  /* config that disagrees with the tensors: dim 32 asks for tok_emb (24, 32) */
  write_text (dir, "config.json",
              "{\"arch\":\"decoder\",\"vocab_size\":24,\"dim\":32,\"n_heads\":4,\"ffn_dim\":32,"
              "\"max_seq_len\":40,\"n_enc_layers\":0,\"n_dec_layers\":2}");
  expect_load_error (dir, TRIAD_ERROR, TRIAD_ERROR_CONFIG, "tok_emb");
  /* one layer fewer: the file holds tensors the config does not call for */
  write_text (dir, "config.json",
              "{\"arch\":\"decoder\",\"vocab_size\":24,\"dim\":16,\"n_heads\":4,\"ffn_dim\":32,"
              "\"max_seq_len\":40,\"n_enc_layers\":0,\"n_dec_layers\":1}");
  expect_load_error (dir, TRIAD_ERROR, TRIAD_ERROR_CONFIG, "tensors");
  /* three layers: a tensor the file lacks */
  write_text (dir, "config.json",
              "{\"arch\":\"decoder\",\"vocab_size\":24,\"dim\":16,\"n_heads\":4,\"ffn_dim\":32,"
              "\"max_seq_len\":40,\"n_enc_layers\":0,\"n_dec_layers\":3}");
  expect_load_error (dir, TRIAD_ERROR, TRIAD_ERROR_CONFIG, "dec.layers.2");
  write_text (dir, "config.json", "{\"arch\":\"decoder\",");
  expect_load_error (dir, TRIAD_ERROR, TRIAD_ERROR_CONFIG, "config.json");
  write_text (dir, "config.json", "{\"arch\":\"transformer\"}");
  expect_load_error (dir, TRIAD_ERROR, TRIAD_ERROR_CONFIG, "arch");
  write_text (dir, "config.json",
              "{\"arch\":\"decoder\",\"vocab_size\":24,\"dim\":16,\"n_heads\":4,\"ffn_dim\":32,"
              "\"max_seq_len\":40,\"n_enc_layers\":0}");
  expect_load_error (dir, TRIAD_ERROR, TRIAD_ERROR_CONFIG, "n_dec_layers");

  /* back to a good config, then a truncated weights file */
  g_assert_true (triad_model_save (m, dir, &error));
  g_assert_true (g_file_set_contents (weights, contents, len / 2, NULL));
  expect_load_error (dir, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT, "outside");
  g_assert_true (g_file_set_contents (weights, contents, 4, NULL));
  expect_load_error (dir, TRIAD_ERROR, TRIAD_ERROR_CHECKPOINT, "truncated");
  g_unlink (weights);
  expect_load_error (dir, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND, "model.safetensors");

  /* a tokenizer whose vocabulary is not the model's */
  g_assert_true (triad_model_save (m, dir, &error));
  {
    g_autoptr(TriadTokenizer) small = test_tokenizer (20);
    g_autofree char *tok = g_build_filename (dir, "tokenizer.json", NULL);
    g_assert_true (triad_tokenizer_save (small, tok, &error));
  }
  expect_load_error (dir, TRIAD_ERROR, TRIAD_ERROR_CONFIG, "vocab_size");
  test_rmdir (dir);
}

static void
test_resolve (void)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *sub = g_build_filename (dir, "decoder", NULL);
  g_autoptr(TriadModel) m = model_with_tokenizer (TRIAD_ARCH_DECODER);
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  g_assert_true (triad_model_save (m, sub, &error));
  g_setenv ("TRIAD_MODELS_DIR", dir, TRUE);
  found = triad_model_resolve ("decoder", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, sub);
  g_assert_null (triad_model_resolve ("no-such-model", &error));
  g_assert_error (error, TRIAD_ERROR, TRIAD_ERROR_NOT_FOUND);
  g_unsetenv ("TRIAD_MODELS_DIR");
  test_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/checkpoint/parse", test_parse_good);
  g_test_add_func ("/engine/checkpoint/truncated", test_truncated);
  g_test_add_func ("/engine/checkpoint/header-past-end", test_header_past_end);
  g_test_add_func ("/engine/checkpoint/bad-json", test_bad_json);
  g_test_add_func ("/engine/checkpoint/shape-mismatch", test_shape_mismatch);
  g_test_add_func ("/engine/checkpoint/wrong-dtype", test_wrong_dtype);
  g_test_add_func ("/engine/checkpoint/half-widening", test_half_widening);
  g_test_add_func ("/engine/checkpoint/offsets-out-of-bounds", test_offsets_out_of_bounds);
  g_test_add_func ("/engine/checkpoint/write-read", test_write_read);
  g_test_add_func ("/engine/checkpoint/model-round-trip", test_model_round_trip);
  g_test_add_func ("/engine/checkpoint/model-errors", test_model_errors);
  g_test_add_func ("/engine/checkpoint/resolve", test_resolve);
  return g_test_run ();
}
