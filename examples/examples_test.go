package examples_test

import (
	"testing"

	"github.com/deepgo-dev/deepgo/examples"
)

// TestExamplesBuild parses and builds every built-in example and checks
// its parameter count against Keras's summary of the same model.
func TestExamplesBuild(t *testing.T) {
	want := map[string]int{
		"mnist-mlp":  235146, // 200,960 + 32,896 + 1,290 (issue 2)
		"mnist-cnn":  34826,  // Keras's simple MNIST convnet summary
		"mnist-lstm": 81674,  // LSTM 128 on 28 features (80,384, Keras's summary) + Dense 10 (1,290)
		"sunspots":   4385,   // LSTM 32 on 1 feature: 4·32·(1+32+1) = 4,352, + Dense 1 (33)
		"fortunes":   320165, // Embedding 10000×32 (320,000) + Dense 5 on 32 (165); TextVectorization has no weights
	}
	for _, e := range examples.All {
		_, m := specModel(t, e)
		tr, nt := m.CountParams()
		if w, ok := want[e.Name]; !ok || tr+nt != w {
			t.Errorf("%s: %d parameters, want %d", e.Name, tr+nt, w)
		}
	}
}
