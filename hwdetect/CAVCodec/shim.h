/* libavcodec codec registry (av_codec_iterate, av_codec_is_encoder). */
#include <libavcodec/avcodec.h>
#include <libavutil/hwcontext.h>
