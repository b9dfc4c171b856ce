package dev.voicebridge.e2e.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs an image's root filesystem the way a container runtime with Kubernetes' settings would,
 * with no runtime: {@code unshare} gives it its own mount and PID namespaces (the test JVM is
 * already in a private network namespace and user namespace, see the netns wrapper), the root
 * filesystem is bind-mounted read-only ({@code readOnlyRootFilesystem}), {@code /tmp} is a
 * writable host directory (the chart's emptyDir), {@code /proc} and the basic device nodes are
 * mounted, volumes are bind-mounted read-only (Secrets, config), and the process starts as the
 * image's numeric user (a nested user namespace maps it) in its working directory, with the
 * image's environment plus the given one, as PID 1. Nothing from the host is visible to it but
 * what is mounted; no shell runs inside (the shell that prepares the mounts runs on the host's
 * filesystem before the chroot).
 */
public final class Container implements AutoCloseable {
    /** Mounts, then: env -i VARS unshare --user (uid, gid) --root --wd -- ENTRYPOINT. */
    private static final String STAGE_SCRIPT = """
            set -eu
            root=$1; uid=$2; gid=$3; wd=$4; tmp=$5; shift 5
            mount --bind "$root" "$root"
            mount -o remount,bind,ro "$root" 2>/dev/null || mount -o remount,bind,ro,nosuid,nodev "$root"
            mount --bind "$tmp" "$root/tmp"
            mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
            mount -t tmpfs -o nosuid,mode=755 tmpfs "$root/dev"
            for d in null zero random urandom; do
              touch "$root/dev/$d"; mount --bind "/dev/$d" "$root/dev/$d"
            done
            n=$1; shift
            while [ "$n" -gt 0 ]; do
              mount --bind "$2" "$root$1"
              mount -o remount,bind,ro "$root$1" 2>/dev/null || mount -o remount,bind,ro,nosuid,nodev "$root$1"
              shift 2; n=$((n - 1))
            done
            unshare_bin=$(command -v unshare)
            # Left: N VAR=VALUE... ENTRYPOINT...; rearranged into env -i VARS unshare ... -- ENTRYPOINT.
            n=$1; shift
            m=$(($# - n))
            i=0; while [ "$i" -lt "$n" ]; do set -- "$@" "$1"; shift; i=$((i + 1)); done
            set -- "$@" "$unshare_bin" --user --map-user="$uid" --map-group="$gid" --root="$root" --wd="$wd" --
            i=0; while [ "$i" -lt "$m" ]; do set -- "$@" "$1"; shift; i=$((i + 1)); done
            exec env -i "$@"
            """;

    private final String name;
    private final Process process;
    private final Path log;

    private Container(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param rootfs the unpacked image ({@link OciImage#unpack})
     * @param env added to (and overriding) the image's environment
     * @param command replaces the image's entrypoint and command when present (Kubernetes'
     *     {@code command})
     * @param volumes container path → host directory, mounted read-only
     * @param tmp host directory mounted at {@code /tmp}
     */
    public static Container start(
            String name,
            OciImage.Config config,
            Path rootfs,
            Map<String, String> env,
            Optional<List<String>> command,
            Map<String, Path> volumes,
            Path tmp,
            Path log)
            throws IOException {
        if (!"1".equals(System.getenv("VOICEBRIDGE_IN_NETNS"))) {
            // The container shares this JVM's network: that must be the test's private namespace.
            throw new IllegalStateException("containers run only inside the netns wrapper (failsafe's jvm)");
        }
        String[] user = config.user().split(":");
        String uid = user[0];
        String gid = user.length > 1 ? user[1] : "0";
        if (!uid.chars().allMatch(Character::isDigit) || !gid.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("image user must be numeric (runAsNonRoot needs it): " + config.user());
        }
        Files.createDirectories(tmp);
        for (String path : volumes.keySet()) {
            // A runtime creates mount points in the container's filesystem; so do we, before it turns read-only.
            Files.createDirectories(rootfs.resolve(path.substring(1)));
        }
        Map<String, String> environment = new LinkedHashMap<>(config.env());
        environment.putAll(env);
        List<String> args = new ArrayList<>(
                List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "sh", "-c", STAGE_SCRIPT, "sh"));
        args.addAll(List.of(
                rootfs.toString(),
                uid,
                gid,
                config.workingDir().isEmpty() ? "/" : config.workingDir(),
                tmp.toString()));
        args.add(Integer.toString(volumes.size()));
        volumes.forEach((path, host) -> {
            args.add(path);
            args.add(host.toString());
        });
        args.add(Integer.toString(environment.size()));
        environment.forEach((k, v) -> args.add(k + "=" + v));
        List<String> entry = command.orElseGet(() -> {
            List<String> all = new ArrayList<>(config.entrypoint());
            all.addAll(config.cmd());
            return all;
        });
        if (entry.isEmpty()) {
            throw new IllegalArgumentException("image has no entrypoint");
        }
        args.addAll(entry);
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(args)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new Container(name, process, log);
    }

    public String name() {
        return name;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The container's PID 1 as this JVM sees it (the process the entrypoint became). */
    public Optional<ProcessHandle> init() {
        return process.descendants().reduce((a, b) -> b.pid() < a.pid() ? b : a);
    }

    /** The mount options of the container's root, from its PID 1's mount table. */
    public String rootMountOptions() throws IOException {
        long pid = init().orElseThrow().pid();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals("/")) {
                return f[5];
            }
        }
        throw new IOException("no root mount in /proc/" + pid + "/mountinfo");
    }

    /** The files PID 1 has mapped (its loaded libraries), as paths inside the container. */
    public String mappedFiles() throws IOException {
        return Files.readString(Path.of("/proc/" + init().orElseThrow().pid() + "/maps"));
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits for the process to end by itself; its exit status. */
    public int await(Duration bound) throws InterruptedException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still running after " + bound);
        }
        return process.exitValue();
    }

    /** SIGTERM to PID 1, as the kubelet does; its exit status, or -1 after a SIGKILL past {@code grace}. */
    public int stop(Duration grace) throws InterruptedException {
        init().ifPresent(ProcessHandle::destroy);
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        close();
        return -1;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
