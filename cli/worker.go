package cli

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"argmax/lab"
	"argmax/lab/cache"
	"argmax/lab/dist"
)

var workerCmd = &cobra.Command{
	Use:   "worker --nats URL",
	Short: "Take trials from a NATS queue and run them (a worker of a distributed run)",
	Long: `worker connects to a NATS server or cluster, takes the trials that
"argmax table --nats URL" or "argmax run --nats URL" queue there, runs them
with the experiments of this build of argmax, and sends each result back to
the coordinator, which stores it. Start any number of workers on any number
of machines; a trial a worker was running when it died is given to another
after the ack deadline, and stored once. Trained nets and other shared
artefacts are cached in --dir and reused by later trials.

Coordinator and workers must run the same build of argmax: a worker refuses
a trial whose content-addressed key it cannot reproduce, with an error that
the coordinator stores as the trial's failure.

With --selfplay the worker is an AlphaZero self-play actor instead: it takes
the jobs of "argmax train alphazero --nats URL", fetches the net each names
from JetStream's object store, plays its games and publishes them to the
learner.

Ctrl-C or SIGTERM stops taking trials and hands the running ones back to the
queue at once.`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		f := cmd.Flags()
		url, _ := f.GetString("nats")
		if url == "" {
			return fmt.Errorf("worker: --nats URL is required (the server the coordinator queues trials on; argmax table prints its embedded server's URL)")
		}
		queue, _ := f.GetString("queue")
		slots, _ := f.GetInt("slots")
		if slots < 0 {
			return fmt.Errorf("--slots %d: want 0 (one per core) or more", slots)
		}
		if slots == 0 {
			slots = runtime.NumCPU()
		}
		dir, _ := f.GetString("dir")
		c, err := cache.New(filepath.Join(dir, "cache"))
		if err != nil {
			return fmt.Errorf("--dir: %w", err)
		}
		selfplay, _ := f.GetBool("selfplay")
		if selfplay && f.Changed("slots") {
			return fmt.Errorf("--slots: a self-play actor plays one job at a time (its games share the forward passes); start more actors instead")
		}
		if err := dist.CheckQueue(queue); err != nil {
			return fmt.Errorf("--queue: %w", err)
		}
		// Debug: a line per trial finished, and while it waits for a coordinator.
		log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelDebug}))
		nc, err := dist.Dial(url, "argmax worker")
		if err != nil {
			return err
		}
		defer nc.Close()
		ctx, _, stop := notifyStop(cmd.Context())
		defer stop()
		var run func(context.Context) error
		if selfplay {
			run = (&dist.Actor{Conn: nc, Queue: queue, Log: log}).Run
			log.Info("self-play actor started", "nats", url, "queue", queue)
		} else {
			run = (&dist.Worker{Conn: nc, Queue: queue, Registry: lab.Default, Slots: slots,
				ArtefactDir: filepath.Join(dir, "artefacts"), Cache: c, Log: log}).Run
			log.Info("worker started", "nats", url, "queue", queue, "slots", slots, "dir", dir)
		}
		if err := run(ctx); err != nil && ctx.Err() == nil {
			return err
		}
		log.Info("worker stopped")
		return nil
	},
}

func init() {
	workerCmd.Flags().String("nats", "", "NATS server or cluster to take trials from (nats://host:4222, several comma-separated)")
	workerCmd.Flags().String("queue", dist.DefaultQueue, "name of the trial queue (the coordinator's --queue)")
	workerCmd.Flags().Int("slots", 0, "trials run at once (0: one per core)")
	workerCmd.Flags().Bool("selfplay", false, "play AlphaZero self-play jobs of argmax train alphazero --nats instead of taking trials")
	workerCmd.Flags().String("dir", "argmax-worker", "folder for trial artefacts and the cache of trained nets")
	rootCmd.AddCommand(workerCmd)
}
