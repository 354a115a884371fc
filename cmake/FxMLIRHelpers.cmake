# Shared build helpers for FX-MLIR targets.

# ccache keeps rebuilds on the same machine cheap (CI runs on the session's machine).
find_program(FX_CCACHE ccache)
if(FX_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${FX_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${FX_CCACHE})
endif()

# One precompiled header of the heavy MLIR includes, built once and reused by every project target
# with the same flags (fx_use_pch). It roughly halves the cost of a translation unit.
set(FX_PCH_HEADER ${CMAKE_SOURCE_DIR}/cmake/FxPch.h)
option(FX_USE_PCH "Use a precompiled header for MLIR includes" ON)

function(fx_use_pch target)
  if(NOT FX_USE_PCH)
    return()
  endif()
  if(NOT TARGET FxPch)
    add_library(FxPch OBJECT ${CMAKE_SOURCE_DIR}/cmake/FxPch.cpp)
    set_target_properties(FxPch PROPERTIES POSITION_INDEPENDENT_CODE ON)
    target_precompile_headers(FxPch PRIVATE ${FX_PCH_HEADER})
  endif()
  target_precompile_headers(${target} REUSE_FROM FxPch)
endfunction()

# A project library: shared, so that tools and plugins loaded into them share one copy of the
# dialect's TypeIDs.
function(fx_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;LINK_LIBS" ${ARGN})
  add_library(${name} SHARED ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS} MLIR LLVM)
  target_include_directories(${name} PUBLIC $<INSTALL_INTERFACE:include>)
  fx_use_pch(${name})
  install(TARGETS ${name} EXPORT FxMLIRTargets LIBRARY DESTINATION lib)
endfunction()

function(fx_add_tool name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LINK_LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS} MLIR LLVM)
  fx_use_pch(${name})
  install(TARGETS ${name} EXPORT FxMLIRTargets RUNTIME DESTINATION bin)
endfunction()
