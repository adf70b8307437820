package callbacks

import (
	"errors"
	"time"

	"github.com/deepgo-dev/deepgo/tensor"
)

// fakeModel records what callbacks do to it. Its single weight holds the
// number of the epoch that last "trained" it, so restored weights show
// which epoch they came from.
type fakeModel struct {
	stopped  bool
	weight   float64
	restored []float64 // weights passed to SetWeights
	saves    []string
	lr       float64
	lrErr    error
}

func (m *fakeModel) StopTraining() { m.stopped = true }

func (m *fakeModel) GetWeights() []*tensor.Tensor {
	return []*tensor.Tensor{tensor.FromFloat64([]float64{m.weight}, 1)}
}

func (m *fakeModel) SetWeights(ws []*tensor.Tensor) error {
	if len(ws) != 1 {
		return errors.New("fake model: want 1 weight")
	}
	m.weight = ws[0].AtFlat(0)
	m.restored = append(m.restored, m.weight)
	return nil
}

func (m *fakeModel) Save(path string) error {
	m.saves = append(m.saves, path)
	return nil
}

func (m *fakeModel) LearningRate() float64 { return m.lr }

func (m *fakeModel) SetLearningRate(lr float64) error {
	if m.lrErr != nil {
		return m.lrErr
	}
	m.lr = lr
	return nil
}

// logsOf builds Logs from alternating keys and values.
func logsOf(kv ...any) *Logs {
	l := &Logs{}
	for i := 0; i < len(kv); i += 2 {
		l.Set(kv[i].(string), kv[i+1].(float64))
	}
	return l
}

// fit drives cb as Fit does, one epoch per entry of epochs (no batch
// events), until the callback stops training. It returns the number of
// epochs run.
func fit(cb Callback, m *fakeModel, p Params, epochs []*Logs) (int, error) {
	if p.Epochs == 0 {
		p.Epochs = len(epochs)
	}
	cb.SetModel(m, p)
	if err := cb.OnTrainBegin(); err != nil {
		return 0, err
	}
	n := 0
	var last *Logs
	for e, logs := range epochs {
		if m.stopped {
			break
		}
		m.weight = float64(e) // this epoch's training
		if err := cb.OnEpochBegin(e); err != nil {
			return n, err
		}
		if err := cb.OnEpochEnd(e, logs); err != nil {
			return n, err
		}
		n, last = n+1, logs
	}
	return n, cb.OnTrainEnd(last)
}

// series turns values of one key into per-epoch logs.
func series(key string, vals ...float64) []*Logs {
	out := make([]*Logs, len(vals))
	for i, v := range vals {
		out[i] = logsOf("loss", 1.0, key, v)
	}
	return out
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// at sets the clock to ms milliseconds after its origin.
func (c *fakeClock) at(ms int64) { c.t = time.Unix(1000, 0).Add(time.Duration(ms) * time.Millisecond) }
