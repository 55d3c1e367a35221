# Every target links cb_options; nothing is set directory-wide.
add_library(cb_options INTERFACE)
include(CbLayers)
target_compile_definitions(cb_options INTERFACE _POSIX_C_SOURCE=200809L)
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(cb_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wold-style-definition -Wformat=2
    -Wcast-qual -Wwrite-strings -Wvla -Wundef
    $<$<BOOL:${CB_WERROR}>:-Werror>)
  if(CB_SANITIZE)
    target_compile_options(cb_options INTERFACE
      -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(cb_options INTERFACE -fsanitize=address,undefined)
  endif()
endif()
