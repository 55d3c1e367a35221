# The layering of docs/architecture.md, enforced by the compiler: a library's include
# path is a folder of symbolic links (build/layers/<target>/) holding only its own
# folder and the folders it may use, so '#include "store/store.h"' from a folder that
# may not use store/ does not compile. There is no repository-root include path.
#
#   cb_layer(<target> <folder> [USES <folder>...])
#
# A folder's headers include the headers of the folders it uses, so the links are the
# transitive closure; scripts/check-layers.sh checks each file's direct includes
# against the table itself.
function(cb_layer target folder)
  cmake_parse_arguments(L "" "" "USES" ${ARGN})
  set(closure ${folder})
  foreach(u ${L_USES})
    get_property(sub GLOBAL PROPERTY CB_LAYER_${u})
    list(APPEND closure ${u} ${sub})
  endforeach()
  list(REMOVE_DUPLICATES closure)
  set_property(GLOBAL PROPERTY CB_LAYER_${folder} ${closure})
  set(dir "${CMAKE_BINARY_DIR}/layers/${target}")
  file(MAKE_DIRECTORY "${dir}")
  foreach(f ${closure})
    if(NOT EXISTS "${dir}/${f}")
      file(CREATE_LINK "${PROJECT_SOURCE_DIR}/${f}" "${dir}/${f}" SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(${target} PRIVATE "${dir}")
endfunction()

# Programs outside the library folders (tests, benchmarks, fuzz targets) see every folder.
function(cb_layer_all target)
  set(dir "${CMAKE_BINARY_DIR}/layers/_all")
  file(MAKE_DIRECTORY "${dir}")
  foreach(f core store templates net channels jobs bot import sim app tests bench fuzz)
    if(NOT EXISTS "${dir}/${f}")
      file(CREATE_LINK "${PROJECT_SOURCE_DIR}/${f}" "${dir}/${f}" SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(${target} PRIVATE "${dir}")
endfunction()
