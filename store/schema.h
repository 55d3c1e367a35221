/* SPDX-License-Identifier: MIT */
/* schema.h - the migrations store_open applies (internal to store/). */
#ifndef CB_STORE_SCHEMA_H
#define CB_STORE_SCHEMA_H

#include <stddef.h>

/* How many migrations there are; migration i brings the schema to version i + 1. */
size_t schema_count(void);
/* The SQL of migration 'i' (static), or NULL past the end. */
const char *schema_migration(size_t i);

#endif
