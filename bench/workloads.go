package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"

	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/examples"
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/models"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Rows is the table, in the order it is printed. peer.py has an entry of
// the same name and unit for each.
var Rows = []Row{
	sgemmRow(256),
	sgemmRow(512),
	sgemmRow(1024),
	{
		Name: "mlp-train-b128", Unit: Samples,
		About: "one Adam training step of the course's MLP (784-256-128-10) at batch 128, sparse categorical cross-entropy",
		Setup: func(*Env) (*Step, error) { return trainStep("mnist-mlp", 128) },
	},
	{
		Name: "mlp-train-b32", Unit: Samples,
		About: "one Adam training step of the course's MLP at batch 32",
		Setup: func(*Env) (*Step, error) { return trainStep("mnist-mlp", 32) },
	},
	{
		Name: "mlp-predict-b1000", Unit: Samples,
		About: "inference of the course's MLP (softmax outputs) on a batch of 1000",
		Setup: func(*Env) (*Step, error) { return predictStep("mnist-mlp", 1000) },
	},
	{
		Name: "cnn-train-b128", Unit: Samples,
		About: "one Adam training step of the mnist-cnn example (Conv2D 32 3×3 → MaxPooling2D 2 → Conv2D 64 3×3 → MaxPooling2D 2 → Flatten → Dropout 0.5 → Dense 10) at batch 128",
		Setup: func(*Env) (*Step, error) { return trainStep("mnist-cnn", 128) },
	},
	{
		Name: "cnn-predict-b1000", Unit: Samples,
		About: "inference of the mnist-cnn example (softmax outputs) on a batch of 1000",
		Setup: func(*Env) (*Step, error) { return predictStep("mnist-cnn", 1000) },
	},
	{
		Name: "lstm-train-b128", Unit: Samples,
		About: "one Adam training step of the mnist-lstm example (each image as 28 timesteps of 28 pixels → LSTM 128, the last state → Dense 10) at batch 128",
		Setup: func(*Env) (*Step, error) { return trainStep("mnist-lstm", 128) },
	},
	{
		Name: "lstm-predict-b1000", Unit: Samples,
		About: "inference of the mnist-lstm example (softmax outputs) on a batch of 1000",
		Setup: func(*Env) (*Step, error) { return predictStep("mnist-lstm", 1000) },
	},
	{
		Name: "mnist-epoch", Unit: Seconds,
		About: "one epoch of the course's MLP on the 60,000 MNIST training images, batch 128, shuffled",
		Setup: mnistEpoch,
	},
}

// sgemmRow is the n×n×n float32 product C = A·B.
func sgemmRow(n int) Row {
	return Row{
		Name:  fmt.Sprintf("sgemm-%d", n),
		Unit:  GFLOPS,
		About: fmt.Sprintf("C = A·B for %d×%d float32 matrices (deepgo: kernels.Gemm; PyTorch: torch.mm with out=)", n, n),
		Setup: func(*Env) (*Step, error) {
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			a, b, c := randomFloats(rng, n*n), randomFloats(rng, n*n), make([]float32, n*n)
			return &Step{
				Run: func() error {
					kernels.Gemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n)
					return nil
				},
				Work: 2 * math.Pow(float64(n), 3) / 1e9, // one multiply and one add per term of each dot product
			}, nil
		},
	}
}

// exampleModel builds and compiles the built-in example called name from
// its spec file, so the bench times the model the course trains.
func exampleModel(name string) (*models.Sequential, error) {
	ex, err := examples.Get(name)
	if err != nil {
		return nil, err
	}
	src, err := ex.Spec()
	if err != nil {
		return nil, err
	}
	s, err := spec.Parse(src, ex.SpecFile)
	if err != nil {
		return nil, err
	}
	return models.FromSpec(s, models.DefaultSeed)
}

// mnistBatch returns n random MNIST-shaped images (pixels in [0, 1)) and
// labels 0-9. Timing does not depend on the values, only on the shapes.
func mnistBatch(n int) (x, y *tensor.Tensor) {
	rng := rand.New(rand.NewPCG(2, uint64(n)))
	x = tensor.FromFloat32(randomFloats(rng, n*28*28), n, 28, 28)
	y = tensor.Zeros(n)
	for i := range n {
		y.SetFlat(i, float64(rng.IntN(10)))
	}
	return x, y
}

// trainStep times TrainOnBatch of the example called name on one fixed
// batch of MNIST-shaped images (which the CNN views with a channel axis
// and the LSTM as 28 timesteps of 28 features).
func trainStep(name string, batch int) (*Step, error) {
	m, err := exampleModel(name)
	if err != nil {
		return nil, err
	}
	x, y := mnistBatch(batch)
	return &Step{
		Run: func() error {
			_, err := m.TrainOnBatch(x, y)
			return err
		},
		Work: float64(batch),
	}, nil
}

// predictStep times Predict of the example called name on one batch of
// the given size.
func predictStep(name string, batch int) (*Step, error) {
	m, err := exampleModel(name)
	if err != nil {
		return nil, err
	}
	x, _ := mnistBatch(batch)
	return &Step{
		Run: func() error {
			_, err := m.Predict(x, batch)
			return err
		},
		Work: float64(batch),
	}, nil
}

// mnistEpoch times one call of Fit over the MNIST training set. The same
// images go to the peer as two .npy files of bytes (47 MB rather than the
// 188 MB of float32), which both sides divide by 255 as the IDX loader
// does. Without the MNIST files it uses random bytes of the same shape.
func mnistEpoch(env *Env) (*Step, error) {
	pixels, labels, note := mnistBytes()
	n := len(labels)
	x, y := tensor.Zeros(n, 28, 28), tensor.Zeros(n)
	xs, ys := x.Float32s(), y.Float32s()
	for i, p := range pixels {
		xs[i] = float32(p) / 255
	}
	for i, l := range labels {
		ys[i] = float32(l)
	}
	px, py := filepath.Join(env.Dir, "mnist-x.npy"), filepath.Join(env.Dir, "mnist-y.npy")
	if err := writeBytesNPY(px, pixels, n, 28, 28); err != nil {
		return nil, err
	}
	if err := writeBytesNPY(py, labels, n); err != nil {
		return nil, err
	}
	env.PeerArgs = []string{px, py}
	env.Note = note
	m, err := exampleModel("mnist-mlp")
	if err != nil {
		return nil, err
	}
	return &Step{
		Run: func() error {
			_, err := m.Fit(x, y, models.FitOptions{Epochs: 1, BatchSize: 128, Verbose: models.VerboseSilent})
			return err
		},
		Work: 1,
	}, nil
}

// mnistTrainSize is the number of MNIST training images (LeCun et al.).
const mnistTrainSize = 60000

// mnistBytes returns the MNIST training images and labels as bytes, or
// random bytes of the same shape when the files cannot be found, with a
// note saying which.
func mnistBytes() (pixels, labels []byte, note string) {
	ds, err := data.LoadMNIST("train")
	if err == nil && ds.Len() == mnistTrainSize {
		pixels = make([]byte, ds.X.Len())
		for i, v := range ds.X.Float32s() {
			pixels[i] = byte(math.Round(float64(v) * 255)) // the loader stored byte/255
		}
		labels = make([]byte, ds.Len())
		for i, v := range ds.Y.Float32s() {
			labels[i] = byte(v)
		}
		return pixels, labels, "mnist-epoch: the MNIST training set, the same bytes on both sides"
	}
	var reason string
	if err != nil {
		reason = err.Error()
	} else {
		reason = fmt.Sprintf("it has %d samples, want %d", ds.Len(), mnistTrainSize)
	}
	rng := rand.New(rand.NewPCG(3, mnistTrainSize))
	pixels = make([]byte, mnistTrainSize*28*28)
	labels = make([]byte, mnistTrainSize)
	for i := range pixels {
		pixels[i] = byte(rng.IntN(256))
	}
	for i := range labels {
		labels[i] = byte(rng.IntN(10))
	}
	return pixels, labels, "mnist-epoch: random MNIST-shaped bytes on both sides, since MNIST could not be loaded: " + reason
}

func randomFloats(rng *rand.Rand, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = rng.Float32()
	}
	return out
}
