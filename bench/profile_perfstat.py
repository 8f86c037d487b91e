# perf stat of the FFmpeg the worker runs vs the same argument list run bare (bench/findings.md, 1 and 3).
# Run from the repository root: python3 bench/profile_perfstat.py
import sys, os, subprocess, time, json, secrets, signal
sys.path.insert(0, "bench"); import bench
bench.TMP = __import__("tempfile").mkdtemp(prefix="transcode-pstat-")
try:
    for d in ("media", "transcode", "bare", "logs"): os.makedirs(f"{bench.TMP}/{d}")
    clip = f"{bench.TMP}/media/clip.mkv"
    subprocess.run(["ffmpeg","-v","error","-y","-f","lavfi","-i","testsrc2=size=1280x720:rate=24","-f","lavfi","-i","sine=frequency=440:sample_rate=48000","-t","16","-map","0:v","-map","1:a","-c:v","libx264","-preset","veryfast","-pix_fmt","yuv420p","-c:a","aac","-b:a","128k",clip],check=True)
    st = bench.Stack(".build-bench/release", secrets.token_urlsafe(9), f"{bench.TMP}/media", f"{bench.TMP}/transcode")
    ev = "task-clock,context-switches,cpu-migrations,page-faults"
    for i in range(3):
        job=f"j{i}"; st.orch.call("POST","/v1/jobs",bench.job_body(job,clip)); v=st.worker_job(job); pid=v["pid"]; args=v["ffmpeg_args"]
        ps=subprocess.Popen(["perf","stat","-x,","-e",ev,"-p",str(pid)],stderr=subprocess.PIPE,text=True)
        while os.path.exists(f"/proc/{pid}") and st.worker_job(job)["state"] in ("starting","running"): time.sleep(0.05)
        ps.send_signal(signal.SIGINT); w=ps.communicate()[1]; st.delete(job)
        folder=f"{bench.TMP}/bare/{i}"; os.makedirs(folder)
        a=bench.bare_args(args,f"{st.troot}/{job}",folder)
        p=subprocess.Popen(a,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL,stdin=subprocess.DEVNULL)
        ps=subprocess.Popen(["perf","stat","-x,","-e",ev,"-p",str(p.pid)],stderr=subprocess.PIPE,text=True)
        p.wait(); time.sleep(0.1); ps.send_signal(signal.SIGINT); b=ps.communicate()[1]
        f=lambda t: {l.split(",")[2]: l.split(",")[0] for l in t.strip().splitlines() if l.count(",")>3}
        print("worker", f(w)); print("bare  ", f(b))
    st.close()
finally:
    bench.cleanup()
