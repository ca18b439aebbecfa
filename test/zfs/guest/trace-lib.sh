# Sourced inside the test VM by suite.sh and matrix.sh: the loop over the traced programs that both
# run. Needs T (the output directory), POOLDIR, NODE, CLI, log and now_ms from the script sourcing it.

# trace_programs DATASET NAME: `zfs-dio trace --format json` of trace_io (built on the host from
# trace_io.c with gcc -g) and of trace_io.py on the dataset, each writing its own record of what every
# call returned, into $T/c-NAME.* and $T/py-NAME.*. `prepare` writes the files untraced and the pool is
# synced after it, as the probe does, so that the copies' source blocks are on disk and can be cloned.
trace_programs() {
    local prog cmd dir t0 name
    for prog in c py; do
        case $prog in
            c) cmd=(/run/zfstest/trace_io) ;;
            py) cmd=(python3 /run/zfstest/trace_io.py) ;;
        esac
        name=$prog-$2
        dir=$POOLDIR/$1/trace-$prog
        "${cmd[@]}" prepare "$dir" > "$T/$name.prepare.log" 2>&1 || log "trace $name: prepare failed"
        zpool sync tank
        t0=$(now_ms)
        (cd / && "$NODE" "$CLI" trace --format json -- "${cmd[@]}" run "$dir" "$T/$name.record.json") \
            > "$T/$name.json" 2> "$T/$name.stderr" < /dev/null
        echo $? > "$T/$name.rc"
        echo $(( $(now_ms) - t0 )) > "$T/$name.ms"
        log "trace $name: rc=$(cat "$T/$name.rc") in $(cat "$T/$name.ms") ms; stderr: $(head -c 300 "$T/$name.stderr" | tr '\n' ' ')"
        rm -rf "$dir"
    done
}
