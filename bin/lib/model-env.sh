# Environment for JVMs that may run a model, shared by bin/segspark, bin/spark-submit,
# bin/benchmark and bin/local-cluster (sourced, not run; ROOT is the caller's repository root).

# oneDNN's AVX-512 convolutions return wrong values on some AMD CPUs (README "CPU executors";
# segspark's EngineCheck refuses to run there): cap them at AVX2 on AMD unless the user chose a value.
segspark_cap_onednn() {
  if [[ -z "${ONEDNN_MAX_CPU_ISA:-}" ]] && grep -qs AuthenticAMD /proc/cpuinfo; then
    export ONEDNN_MAX_CPU_ISA=AVX2
  fi
}

# glibc's malloc settings of model runs: conf/glibc-tunables says what and why. A GLIBC_TUNABLES of
# the user's own is kept as it is; SEGSPARK_MALLOC=0 leaves glibc's defaults.
segspark_malloc_settings() {
  if [[ "${SEGSPARK_MALLOC:-1}" != 0 && -z "${GLIBC_TUNABLES:-}" ]]; then
    GLIBC_TUNABLES="$(grep -v '^#' "$ROOT/conf/glibc-tunables")"
    export GLIBC_TUNABLES
  fi
}
