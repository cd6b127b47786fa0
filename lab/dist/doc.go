// Package dist runs the lab's trials on workers through NATS JetStream,
// an existing distributed engine, instead of in one process.
//
// A coordinator (Executor, a lab.Executor) publishes each trial by
// reference (lab.TrialRef: experiment, version, point, seeds and the
// content-addressed key) to a work-queue stream; workers (Worker), in
// this process or in `argmax worker` processes on any number of machines,
// take them one at a time, run them with the same registry of
// experiments, and publish the stored form of each result to a results
// stream, which the coordinator consumes and hands to the lab.Runner to
// store in SQLite. A worker tells the server it is still at work while a
// trial runs; one that dies mid-trial stops doing so, and the trial is
// delivered again after the ack deadline. Since a trial is named by its
// key, a trial queued twice or run twice is stored once: the queue holds
// at most one message per key, and the coordinator takes the first
// result of each key and drops the rest. Workers send heartbeats, which
// the coordinator's progress display shows. A coordinator that is killed
// and restarted finds its queued trials and the results that came in
// while it was away in the streams, and picks up where it was.
//
// StartServer starts an embedded nats-server (JetStream on disk,
// loopback only), which is what `argmax run` and `argmax table` do by
// default with local workers (Local), so a single machine needs no
// setup; with --nats they use an external NATS cluster instead.
//
// Trial figures are those of a single-process run with the same seeds:
// the worker makes the trial from its reference exactly as the runner
// would. Coordinator and workers must run the same build of argmax
// (Registry.Resolve refuses a trial whose key it cannot reproduce).
package dist
