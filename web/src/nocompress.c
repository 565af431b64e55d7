/*
 * web/src/nocompress.c: the browser build has neither zlib, zstd nor liblzma (emscripten fetches
 * its ports from the network, which this build cannot reach). The trace code is the same
 * as on the host, so the calls it makes are answered here with failures: starting a
 * decoder or an encoder fails, and the page itself refuses a compressed trace before
 * reading it, saying to decompress it first (docs/web.md).
 */
#include <lzma.h>
#include <stddef.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_createDCtx_advanced(), as trace_source.c */
#include <zstd.h>

ZSTD_DCtx *ZSTD_createDCtx(void)
{
	return NULL;
}

ZSTD_DCtx *ZSTD_createDCtx_advanced(ZSTD_customMem mem)
{
	(void)mem;
	return NULL;
}

size_t ZSTD_freeDCtx(ZSTD_DCtx *dctx)
{
	(void)dctx;
	return 0;
}

size_t ZSTD_decompressStream(ZSTD_DStream *zds, ZSTD_outBuffer *output, ZSTD_inBuffer *input)
{
	(void)zds, (void)output, (void)input;
	return (size_t)-1; /* an error code, as zstd encodes them */
}

unsigned long long ZSTD_getFrameContentSize(const void *src, size_t src_size)
{
	(void)src, (void)src_size;
	return ZSTD_CONTENTSIZE_ERROR;
}

unsigned ZSTD_isError(size_t code)
{
	return code > (size_t)-120;
}

const char *ZSTD_getErrorName(size_t code)
{
	(void)code;
	return "zstd is not part of the browser build";
}

int inflateInit2_(z_streamp strm, int window_bits, const char *version, int stream_size)
{
	(void)strm, (void)window_bits, (void)version, (void)stream_size;
	return Z_MEM_ERROR;
}

int inflate(z_streamp strm, int flush)
{
	(void)strm, (void)flush;
	return Z_STREAM_ERROR;
}

int inflateEnd(z_streamp strm)
{
	(void)strm;
	return Z_OK;
}

int inflateReset(z_streamp strm)
{
	(void)strm;
	return Z_STREAM_ERROR;
}

lzma_ret lzma_stream_decoder(lzma_stream *strm, uint64_t memlimit, uint32_t flags)
{
	(void)strm, (void)memlimit, (void)flags;
	return LZMA_MEM_ERROR;
}

lzma_ret lzma_code(lzma_stream *strm, lzma_action action)
{
	(void)strm, (void)action;
	return LZMA_PROG_ERROR;
}

void lzma_end(lzma_stream *strm)
{
	(void)strm;
}
