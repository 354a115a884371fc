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

# Flags every project target shares. EXCEPTIONS: the code throws or catches C++ exceptions
# (kernels report errors as fxmlir::OpError), so it builds with -fexceptions and without the
# shared precompiled header, whose flags must match. NO_MLIR: plain C++ (the op registry, the
# runtime): none of LLVM's or MLIR's include paths, so an MLIR include there fails to build.
function(fx_target_options name)
  cmake_parse_arguments(ARG "EXCEPTIONS;NO_MLIR" "INCLUDE_DIR" "" ${ARGN})
  if(ARG_NO_MLIR)
    set_property(TARGET ${name} PROPERTY INCLUDE_DIRECTORIES "")
  endif()
  if(ARG_INCLUDE_DIR)
    # Headers, and beside them what TableGen generates into the build tree (fx_add_passes).
    target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${ARG_INCLUDE_DIR}>
      $<BUILD_INTERFACE:${CMAKE_CURRENT_BINARY_DIR}/include> $<INSTALL_INTERFACE:include>)
    install(DIRECTORY ${ARG_INCLUDE_DIR}/ DESTINATION include
      FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
    install(DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/include/ DESTINATION include OPTIONAL
      FILES_MATCHING PATTERN "*.inc")
  endif()
  if(ARG_EXCEPTIONS)
    target_compile_options(${name} PRIVATE -fexceptions)
  elseif(NOT ARG_NO_MLIR)
    fx_use_pch(${name})
  endif()
endfunction()

# A project library: shared, so that tools and plugins loaded into them share one copy of the
# dialect's TypeIDs. INCLUDE_DIR: its public headers; EXCEPTIONS and NO_MLIR as above.
function(fx_add_library name)
  cmake_parse_arguments(ARG "EXCEPTIONS;NO_MLIR" "INCLUDE_DIR" "SOURCES;DEPENDS;LINK_LIBS" ${ARGN})
  add_library(${name} SHARED ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  if(ARG_NO_MLIR)
    target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS})
  else()
    target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS} MLIR LLVM)
  endif()
  target_include_directories(${name} PUBLIC $<INSTALL_INTERFACE:include>)
  fx_target_options(${name} ${ARGN})
  install(TARGETS ${name} EXPORT FxMLIRTargets LIBRARY DESTINATION lib)
endfunction()

# A project tool, built into bin/. EXCEPTIONS as above.
function(fx_add_tool name)
  cmake_parse_arguments(ARG "EXCEPTIONS" "" "SOURCES;LINK_LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS} MLIR LLVM)
  fx_target_options(${name} ${ARGN})
  install(TARGETS ${name} EXPORT FxMLIRTargets RUNTIME DESTINATION bin)
endfunction()

# A level's passes from its Passes.td (`include/<path>/Passes.td`): the declarations
# (Passes.h.inc, `register<name>Passes()`), the <name>PassesIncGen target and the pass docs.
function(fx_add_passes path name)
  set(LLVM_TARGET_DEFINITIONS include/${path}/Passes.td)
  mlir_tablegen(include/${path}/Passes.h.inc -gen-pass-decls -name ${name})
  add_public_tablegen_target(${name}PassesIncGen)
  add_mlir_doc(Passes ${name}Passes ./ -gen-pass-doc)
endfunction()
