package examples_test

import (
	"math"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/examples"
	"github.com/deepgo-dev/deepgo/tensor"
)

// persistence scores the last-value forecast on windows x (n, steps, 1)
// with targets y (n,): the prediction for each window is its last value.
func persistence(x, y *tensor.Tensor) (mae, rmse float64) {
	n, steps := x.Dim(0), x.Dim(1)
	for k := range n {
		e := x.At(k, steps-1, 0) - y.At(k)
		mae += math.Abs(e)
		rmse += e * e
	}
	return mae / float64(n), math.Sqrt(rmse / float64(n))
}

// TestSunspotsBeatsPersistence trains the sunspots example as
// `deepgo train --example sunspots` does (its spec, its data forms, the
// default seed) and checks that on the test years it beats the naive
// forecast "next year = this year" on the same test windows. Run it with -v
// to see both: `go test ./examples -run Sunspots -v`.
func TestSunspotsBeatsPersistence(t *testing.T) {
	ex, err := examples.Get("sunspots")
	if err != nil {
		t.Fatal(err)
	}
	train, test := loadData(t, ex.Train), loadData(t, ex.Test)
	if train.Len() == 0 || test.Len() == 0 || train.X.Dim(2) != 1 {
		t.Fatalf("train %v, test %v: want windows of one feature", train.X.Shape(), test.X.Shape())
	}
	baseMAE, baseRMSE := persistence(test.X, test.Y)
	// The same windows unscaled, for figures in sunspots.
	raw := loadData(t, strings.Replace(ex.Test, ",scale=standard", "", 1))
	rawMAE, rawRMSE := persistence(raw.X, raw.Y)
	std := rawMAE / baseMAE // scaling is linear, so every error scales by the training std

	s, m := specModel(t, ex)
	logs := fitEvaluate(t, m, s, train, test)
	mse, _ := logs.Get("loss")
	mae, _ := logs.Get("mae")
	rmse := math.Sqrt(mse)
	t.Logf("%d test windows (years %d to 2008)", test.Len(), 2008-test.Len()+1)
	t.Logf("persistence: MAE %.4f RMSE %.4f (standard units) = MAE %.2f RMSE %.2f sunspots", baseMAE, baseRMSE, rawMAE, rawRMSE)
	t.Logf("LSTM:        MAE %.4f RMSE %.4f (standard units) = MAE %.2f RMSE %.2f sunspots", mae, rmse, mae*std, rmse*std)
	if !(mae < baseMAE && rmse < baseRMSE) {
		t.Errorf("the LSTM (MAE %.4f, RMSE %.4f) does not beat persistence (MAE %.4f, RMSE %.4f)", mae, rmse, baseMAE, baseRMSE)
	}
}
