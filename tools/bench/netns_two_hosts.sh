#!/bin/sh
# shellcheck disable=SC2086  # NETNS_MPIRUN_ARGS is split into words on purpose
# Two ranks over TCP between two "hosts" on this machine: two network namespaces joined by a veth
# pair, each end named lpp0 (as each host of a cluster would have its eth0). mpirun runs in the
# first namespace and starts the second host's daemon through this script as its rsh agent
# (`ip netns exec` instead of ssh, so no sshd is needed); MPI traffic goes over OpenMPI's tcp
# BTL on lpp0 only. Then the same step runs on shared memory (vader) in the root namespace,
# interleaved, for comparison. Run by hand as root (not by CI); it removes its namespaces on exit.
#
# usage: tools/bench/netns_two_hosts.sh BUILD_DIR [ROUNDS] [bench flags...]
#   e.g. tools/bench/netns_two_hosts.sh build 3 --config medium --repeats 10
# NETNS_MPIRUN_ARGS adds mpirun flags to both runs, e.g. "--mca btl_base_verbose 30" shows that
# the first uses the tcp BTL on lpp0.
set -eu

NS_A=lpp_host_a
NS_B=lpp_host_b
IP_A=10.231.0.1
IP_B=10.231.0.2

# mpirun calls its rsh agent as: AGENT HOST COMMAND... (the command is one shell line).
if [ "${1:-}" = --agent ]; then
    shift
    host=$1
    shift
    case $host in
        "$IP_A") ns=$NS_A ;;
        "$IP_B") ns=$NS_B ;;
        *) echo "netns_two_hosts.sh: unknown host $host" >&2; exit 1 ;;
    esac
    exec ip netns exec "$ns" sh -c "$*"
fi

build=${1:?usage: $0 BUILD_DIR [ROUNDS] [bench flags...]}
shift
rounds=${1:-3}
[ $# -gt 0 ] && shift
bench=$(readlink -f "$build/tools/bench/lucidpp-distributed-bench")
self=$(readlink -f "$0")
[ $# -gt 0 ] || set -- --config medium --warmup 3 --repeats 10

cleanup() {
    ip netns del "$NS_A" 2>/dev/null || true
    ip netns del "$NS_B" 2>/dev/null || true  # deleting a namespace deletes its veth end
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cleanup

ip netns add "$NS_A"
ip netns add "$NS_B"
ip link add lpp_a type veth peer name lpp_b
ip link set lpp_a netns "$NS_A"
ip link set lpp_b netns "$NS_B"
ip -n "$NS_A" link set lpp_a name lpp0
ip -n "$NS_B" link set lpp_b name lpp0
ip -n "$NS_A" addr add "$IP_A/24" dev lpp0
ip -n "$NS_B" addr add "$IP_B/24" dev lpp0
for ns in "$NS_A" "$NS_B"; do
    ip -n "$ns" link set lo up
    ip -n "$ns" link set lpp0 up
done

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OPENBLAS_NUM_THREADS=1
# Each namespace's daemon sees both cores and would bind its one rank to core 0; --bind-to none
# (in both runs) leaves the placement to the kernel.
tcp_run() {
    ip netns exec "$NS_A" mpirun -np 2 --host "$IP_A,$IP_B" \
        --mca plm_rsh_agent "$self --agent" \
        --mca oob_tcp_if_include lpp0 --mca btl tcp,self --mca btl_tcp_if_include lpp0 \
        ${NETNS_MPIRUN_ARGS:-} --bind-to none "$bench" --threads 1 "$@"
}
shm_run() {
    mpirun -np 2 --mca btl vader,self ${NETNS_MPIRUN_ARGS:-} --bind-to none "$bench" --threads 1 "$@"
}

i=0
while [ "$i" -lt "$rounds" ]; do
    tcp=$(tcp_run "$@")
    printf '{"transport": "tcp, two namespaces", "result": %s}\n' "$tcp"
    shm=$(shm_run "$@")
    printf '{"transport": "shared memory", "result": %s}\n' "$shm"
    i=$((i + 1))
done
