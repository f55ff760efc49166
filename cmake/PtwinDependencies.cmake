# SPDX-License-Identifier: Apache-2.0
# Every third-party dependency, found once, from Debian's packages (scripts/install_deps.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(NLopt 2.7 REQUIRED CONFIG NAMES NLopt nlopt)
find_package(SUNDIALS REQUIRED)

# SuiteSparse KLU (Debian's libsuitesparse-dev ships no CMake or pkg-config file in bookworm).
find_path(KLU_INCLUDE_DIR klu.h PATH_SUFFIXES suitesparse REQUIRED)
find_library(KLU_LIBRARY klu REQUIRED)
find_library(SUITESPARSE_AMD_LIBRARY amd REQUIRED)
find_library(SUITESPARSE_COLAMD_LIBRARY colamd REQUIRED)
find_library(SUITESPARSE_BTF_LIBRARY btf REQUIRED)
find_library(SUITESPARSE_CONFIG_LIBRARY suitesparseconfig REQUIRED)
add_library(SuiteSparse::KLU INTERFACE IMPORTED)
target_include_directories(SuiteSparse::KLU INTERFACE ${KLU_INCLUDE_DIR})
target_link_libraries(SuiteSparse::KLU INTERFACE ${KLU_LIBRARY} ${SUITESPARSE_AMD_LIBRARY}
  ${SUITESPARSE_COLAMD_LIBRARY} ${SUITESPARSE_BTF_LIBRARY} ${SUITESPARSE_CONFIG_LIBRARY})
find_package(OpenSSL REQUIRED)
# libpq, the PostgreSQL client library (Debian's libpq-dev): the FHIR resource store's second
# backend. pkg-config rather than FindPostgreSQL, which also looks for server headers.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# libcurl (Debian's libcurl4-gnutls-dev): the FHIR client.
find_package(CURL REQUIRED)
# Boost.Beast/Asio (header-only in Debian's libboost-dev): HTTP for the FHIR facade.
find_package(Boost 1.74 REQUIRED)
# VTK 9.1 (Debian's libvtk9-dev): surfaces, .vtu/.vtp files of volume meshes and labelled
# boundaries, PNG, and the offscreen surface picture (RenderingOpenGL2, through an X server; its
# link interface needs the X11 and GLEW targets found first). Only the modules named here are
# linked; VTK headers stay inside geometry's .cpp files.
find_package(X11 REQUIRED)
find_package(GLEW REQUIRED)
find_package(VTK 9.1 REQUIRED COMPONENTS CommonCore CommonDataModel FiltersCore FiltersGeneral
             ImagingGeneral IOXML IOImage RenderingCore RenderingOpenGL2)
# Gmsh 4.8 API (Debian's libgmsh-dev ships neither CMake nor pkg-config files): tetrahedral
# volume meshing. gmsh.h stays inside geometry/mesh's .cpp files.
find_path(GMSH_INCLUDE_DIR gmsh.h REQUIRED)
find_library(GMSH_LIBRARY gmsh REQUIRED)
add_library(Gmsh::gmsh INTERFACE IMPORTED)
target_include_directories(Gmsh::gmsh INTERFACE ${GMSH_INCLUDE_DIR})
target_link_libraries(Gmsh::gmsh INTERFACE ${GMSH_LIBRARY})
