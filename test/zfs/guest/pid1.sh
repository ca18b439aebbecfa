# PID 1 after switch_root: runs the stages with the host's bash, records their exit status on the
# results share, and always powers the VM off (PID 1 must never exit: that panics the kernel).
BB=/run/zfstest/busybox
# stages: "suite" (the CLI probe in every scenario) and "editor" (code-server on a live pool, driven by
# the host); run.sh writes the list, so one stage can be run alone while working on it
for stage in $(cat /run/zfstest/stages); do
    /bin/bash "/run/zfstest/$stage.sh" > "/run/zfstest/out/$stage.log" 2>&1 < /dev/null
    rc=$?
    echo "$rc" > "/run/zfstest/out/$stage.rc"
    echo "ZFSTEST: $stage-exit rc=$rc"
    $BB tail -n 40 "/run/zfstest/out/$stage.log"
done
$BB sync
$BB poweroff -f
$BB sleep 5
echo o > /proc/sysrq-trigger
$BB sleep 30
