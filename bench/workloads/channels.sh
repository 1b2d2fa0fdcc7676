# Workload "channels" (issue 3): 1,000,000 items through a buffered(100) channel, 1->1 and 4->4,
# all on virtual threads, and rendezvous 1->1: Weft's Channel, ArrayBlockingQueue,
# LinkedBlockingQueue, jox (SynchronousQueue stands in for the JDK at rendezvous), and
# asyncio.Queue(100) on the default loop and uvloop. The report section is section_channels.
wl_channels_present() { return 0; }

wl_channels_run() {
  if [ "$QUICK" -eq 1 ]; then
    jmh channels 'ChannelBench' -p items=100000 -f 1 -wi 2 -i 3
    for loop in asyncio uvloop; do
      pyrun "queue-$loop" queue_throughput.py --loop "$loop" --n 100000 --warmup 1 --runs 3
    done
  else
    # one invocation moves 1,000,000 items; 3 forks x 8 samples
    jmh channels 'ChannelBench' -p items=1000000 -f 3 -wi 4 -i 8
    for loop in asyncio uvloop; do
      pyrun "queue-$loop" queue_throughput.py --loop "$loop" --n 1000000 --warmup 1 --runs 5
    done
  fi
}
