/* Pattern: the build's configuration header that fixes record and chunk sizes for the tests (modelled on LTP's generated include/config.h and per-suite size defines). */
/* zdio-category: header-macro */
#ifndef DIO_CONFIG_H
#define DIO_CONFIG_H

#define HAVE_COPY_FILE_RANGE 1
#define DIO_RECORD_BYTES 6000
#define DIO_CHUNK_BYTES (128 * 1024)
#define DIO_NUM_CHUNKS 32

#endif
