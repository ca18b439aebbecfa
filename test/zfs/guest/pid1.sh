# PID 1 after switch_root: runs the suite with the host's bash, records its exit status on the
# results share, and always powers the VM off (PID 1 must never exit: that panics the kernel).
BB=/run/zfstest/busybox
/bin/bash /run/zfstest/suite.sh > /run/zfstest/out/suite.log 2>&1 < /dev/null
rc=$?
echo "$rc" > /run/zfstest/out/suite.rc
echo "ZFSTEST: suite-exit rc=$rc"
$BB tail -n 40 /run/zfstest/out/suite.log
$BB sync
$BB poweroff -f
$BB sleep 5
echo o > /proc/sysrq-trigger
$BB sleep 30
