/* SPDX-License-Identifier: MIT */
/* compiler.h - the only place compiler extensions appear. */
#ifndef CB_CORE_COMPILER_H
#define CB_CORE_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define CB_NODISCARD __attribute__((warn_unused_result))
#define CB_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define CB_NORETURN __attribute__((noreturn))
#else
#define CB_NODISCARD
#define CB_PRINTF(fmt, args)
#define CB_NORETURN
#endif

#endif
