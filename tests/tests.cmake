# Tests: unit tests (Criterion, one executable per tests/unit/<layer>/test_<module>.c),
# scenario scripts, walk vectors and the differential test. Registered with CTest.
pkg_check_modules(CRITERION REQUIRED IMPORTED_TARGET criterion)

file(GLOB_RECURSE MMSIM_UNIT_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/unit/*/test_*.c)
foreach(t ${MMSIM_UNIT_TESTS})
  get_filename_component(name ${t} NAME_WE)
  get_filename_component(dir ${t} DIRECTORY)
  get_filename_component(layer ${dir} NAME)
  set(target unit_${layer}_${name})
  add_executable(${target} ${t})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/tests/unit)
  target_link_libraries(${target} PRIVATE mmsim_static PkgConfig::CRITERION)
  if(name STREQUAL "test_fault_injection")
    target_link_options(${target} PRIVATE -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc)
  endif()
  if(name STREQUAL "test_shadow_stress")
    target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests/stress/shadow.c)
  endif()
  # -j1: Criterion's own workers would fight CTest's; --ascii keeps logs readable.
  add_test(NAME ${target} COMMAND ${target} -j1 --ascii)
endforeach()

# Scenario scripts: each tests/scenarios/*.mms must run with every expect line holding.
file(GLOB MMSIM_SCENARIOS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/scenarios/*.mms)
foreach(s ${MMSIM_SCENARIOS})
  get_filename_component(name ${s} NAME_WE)
  add_test(NAME scenario_${name} COMMAND mmsim script --paranoid ${s})
endforeach()

# Walk vectors kept in the tree (the independent sample among them).
file(GLOB MMSIM_VECTOR_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/vectors/*.jsonl)
foreach(v ${MMSIM_VECTOR_FILES})
  get_filename_component(name ${v} NAME_WE)
  add_test(NAME vectors_${name} COMMAND mmsim walk --vectors ${v})
endforeach()

# Other test drivers (shell scripts): tests/cli/*.sh get the mmsim binary as $1.
file(GLOB MMSIM_SHELL_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/*/test_*.sh)
foreach(s ${MMSIM_SHELL_TESTS})
  get_filename_component(name ${s} NAME_WE)
  get_filename_component(dir ${s} DIRECTORY)
  get_filename_component(group ${dir} NAME)
  add_test(NAME ${group}_${name} COMMAND bash ${s} $<TARGET_FILE:mmsim> ${PROJECT_BINARY_DIR}/testwork/${group}_${name})
  # A shell test exits 77 when a tool it needs is missing: CTest shows it as skipped.
  set_tests_properties(${group}_${name} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()

# Python's sweep(jobs=2) runs the library in two threads at once, which the coverage build's
# plain counters race on: this test's counts go to a directory nobody reads.
if(MMSIM_COVERAGE AND TEST python_test_python)
  set_tests_properties(python_test_python PROPERTIES
    ENVIRONMENT "GCOV_PREFIX=${PROJECT_BINARY_DIR}/testwork/gcov-dropped")
endif()

# CTest starts the costliest tests first when it knows their cost. A fresh CI clone has no
# cost history, so without this the suite's longest tests (declared last, in tests/cli and
# tests/diff) start late and leave one core idle at the end (about 2 minutes of make test).
set(MMSIM_HEAVY_TESTS cli_test_json_identical cli_test_workload_policies diff_test_policy_diff
  cli_test_mrc cli_test_policy_properties cli_test_clock_note diff_test_walk_diff
  cli_test_workloads cli_test_record_children)
foreach(t ${MMSIM_HEAVY_TESTS})
  if(TEST ${t})
    set_tests_properties(${t} PROPERTIES COST 1000)
  endif()
endforeach()

# The long data-shadow stress (make stress SECONDS=N); its short run is a unit test.
add_executable(mmsim_stress ${PROJECT_SOURCE_DIR}/tests/stress/stress_main.c
  ${PROJECT_SOURCE_DIR}/tests/stress/shadow.c)
target_link_libraries(mmsim_stress PRIVATE mmsim_static)

# Fuzz corpora as regression tests: each target's LLVMFuzzerTestOneInput() runs once on
# every input in tests/fuzz/corpus/TARGET/ through tests/fuzz/replay.c (no libFuzzer, so
# no clang needed; the ASan build runs them under the sanitizers).
foreach(f trace script kernel walk)
  add_executable(fuzz_replay_${f} ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_${f}.c
    ${PROJECT_SOURCE_DIR}/tests/fuzz/replay.c)
  target_include_directories(fuzz_replay_${f} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(fuzz_replay_${f} PRIVATE mmsim_static)
  add_test(NAME fuzz_corpus_${f} COMMAND fuzz_replay_${f} ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${f})
endforeach()

# The helper of the real-kernel differential test (tests/diff/test_realk_diff.sh finds it
# beside mmsim). It counts the host kernel's faults, so it is built without sanitizers and
# coverage: their shadow and counter pages would fault inside the loops it measures.
add_executable(realk ${PROJECT_SOURCE_DIR}/tests/diff/realk.c)
target_compile_options(realk PRIVATE -fno-sanitize=all -fno-profile-arcs -fno-test-coverage)
target_link_options(realk PRIVATE -fno-sanitize=all)
