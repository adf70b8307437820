package callbacks_test

import (
	"fmt"
	"os"

	"github.com/deepgo-dev/deepgo/callbacks"
	"github.com/deepgo-dev/deepgo/tensor"
)

// toyModel stands in for a models.Sequential: its one weight is the
// number of the epoch that last trained it.
type toyModel struct {
	stop   bool
	weight float64
}

func (m *toyModel) StopTraining() { m.stop = true }
func (m *toyModel) GetWeights() []*tensor.Tensor {
	return []*tensor.Tensor{tensor.FromFloat64([]float64{m.weight}, 1)}
}
func (m *toyModel) SetWeights(ws []*tensor.Tensor) error { m.weight = ws[0].AtFlat(0); return nil }
func (m *toyModel) Save(string) error                    { return nil }
func (m *toyModel) LearningRate() float64                { return 0.001 }
func (m *toyModel) SetLearningRate(float64) error        { return nil }

// EarlyStopping with patience 2 watches a made-up validation loss: it
// stops two epochs after the best one and puts that epoch's weights back.
func ExampleEarlyStopping() {
	es, err := callbacks.NewEarlyStopping(callbacks.EarlyStoppingOptions{
		Monitor:            "val_loss",
		Patience:           2,
		RestoreBestWeights: true,
		Verbose:            1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	valLoss := []float64{0.9, 0.6, 0.5, 0.55, 0.52, 0.4}
	m := &toyModel{}
	es.SetModel(m, callbacks.Params{Epochs: len(valLoss)})
	es.OnTrainBegin()
	for epoch, v := range valLoss {
		if m.stop {
			break
		}
		m.weight = float64(epoch + 1) // what this epoch's training did
		logs := &callbacks.Logs{}
		logs.Set("loss", 1)
		logs.Set("val_loss", v)
		es.OnEpochEnd(epoch, logs)
		fmt.Printf("epoch %d: val_loss %.2f, epochs without improvement %d\n", epoch+1, v, es.Wait)
	}
	es.OnTrainEnd(nil)
	fmt.Printf("weights of epoch %v\n", m.weight)
	// Output:
	// epoch 1: val_loss 0.90, epochs without improvement 0
	// epoch 2: val_loss 0.60, epochs without improvement 0
	// epoch 3: val_loss 0.50, epochs without improvement 0
	// epoch 4: val_loss 0.55, epochs without improvement 1
	// epoch 5: val_loss 0.52, epochs without improvement 2
	// Epoch 5: early stopping
	// Restoring model weights from the end of the best epoch: 3.
	// weights of epoch 3
}

// JSONLines writes one object per epoch, for scripts reading `deepgo
// train --json`.
func ExampleJSONLines() {
	j := callbacks.JSONLines(os.Stdout)
	logs := &callbacks.Logs{}
	logs.Set("loss", 0.21)
	logs.Set("accuracy", 0.94)
	logs.Set("val_loss", 0.11)
	j.OnEpochEnd(0, logs)
	// Output:
	// {"epoch":1,"loss":0.21,"accuracy":0.94,"val_loss":0.11}
}
