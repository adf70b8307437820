package layers

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/initializers"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Embedding turns integer ids into dense vectors: row id of the
// (input_dim, output_dim) weight "embeddings", as Keras's Embedding
// (keras.ops.take(embeddings, ids, axis=0)) and torch.nn.Embedding. Ids come
// in the data's float tensors, each sample (timesteps) of them, or any
// shape; the output adds an axis of output_dim. An id that is negative,
// not an integer or not below input_dim stops the pass with an error
// naming the layer, the id and input_dim (Keras would cast it to an integer
// or fail on the device).
//
// With MaskZero, id 0 is padding: ComputeMask marks those steps as masked
// for the layers after it (recurrent layers skip them, pooling leaves them
// out), so the vocabulary's real ids start at 1.
type Embedding struct {
	base
	InputDim, OutputDim   int
	EmbeddingsInitializer string
	MaskZero              bool

	embeddings *Weight
	fast       embeddingState
}

// EmbeddingOption sets an optional argument of Embedding.
type EmbeddingOption func(*Embedding)

// WithEmbeddingsInitializer sets the initializer of the embeddings (Keras
// default "uniform", RandomUniform(−0.05, 0.05)).
func WithEmbeddingsInitializer(name string) EmbeddingOption {
	return func(l *Embedding) { l.EmbeddingsInitializer = name }
}

// MaskZero makes id 0 a padding value that masks its timestep (Keras
// mask_zero=True).
func MaskZero() EmbeddingOption { return func(l *Embedding) { l.MaskZero = true } }

// NewEmbedding returns an Embedding of inputDim ids (the vocabulary size)
// to vectors of outputDim, with Keras's defaults: uniform initializer, no
// mask.
func NewEmbedding(inputDim, outputDim int, opts ...EmbeddingOption) *Embedding {
	l := &Embedding{InputDim: inputDim, OutputDim: outputDim, EmbeddingsInitializer: "uniform"}
	for _, o := range opts {
		o(l)
	}
	if inputDim <= 0 {
		l.fail("input_dim must be a positive integer, got %d", inputDim)
	}
	if outputDim <= 0 {
		l.fail("output_dim must be a positive integer, got %d", outputDim)
	}
	return l
}

func (*Embedding) ClassName() string { return "Embedding" }

func (l *Embedding) Config() spec.Args {
	return spec.Args{{Name: "input_dim", Value: l.InputDim}, {Name: "output_dim", Value: l.OutputDim},
		{Name: "embeddings_initializer", Value: l.EmbeddingsInitializer}, {Name: "mask_zero", Value: l.MaskZero}}
}

func (l *Embedding) Build(in []int, rng *rand.Rand) error {
	if err := l.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	if len(in) == 0 {
		return shapeErr(l, "needs ids with at least one axis per sample, (timesteps), got a scalar")
	}
	if l.MaskZero && len(in) != 1 {
		return shapeErr(l, "mask_zero needs ids of shape (timesteps) per sample, got %s", tensor.ShapeString(in))
	}
	init, err := initializers.Get(l.EmbeddingsInitializer)
	if err != nil {
		return shapeErr(l, "embeddings_initializer: %v", err)
	}
	l.embeddings = newWeight(l.name, "embeddings", init.Init([]int{l.InputDim, l.OutputDim}, rng), true)
	l.outShape = append(append([]int(nil), in...), l.OutputDim)
	return nil
}

func (l *Embedding) Weights() []*Weight { return []*Weight{l.embeddings} }

// Call looks up the rows of the ids in x.
func (l *Embedding) Call(_ *Context, x *autograd.Value) *autograd.Value {
	ids := l.ids(nil, x.Data)
	return autograd.Take(l.embeddings.Value, ids, x.Shape())
}

// CheckInput reports the first value of x (a batch of id sequences) that
// is not an integer in [0, input_dim), naming its sample and position.
func (l *Embedding) CheckInput(x *tensor.Tensor) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*InputError)
			if !ok {
				panic(r)
			}
			err = e
		}
	}()
	l.ids(make([]int, 0, x.Len()), x)
	return nil
}

// ids converts x to row numbers in dst (grown as needed), panicking with
// an error that names the layer, the first bad id and input_dim.
func (l *Embedding) ids(dst []int, x *tensor.Tensor) []int {
	n := x.Len()
	dst = vec(dst, n)
	var ok bool
	if x.DType() == tensor.Float32 {
		ok = toIDs(dst, x.Float32s(), l.InputDim)
	} else {
		ok = toIDs(dst, x.Float64s(), l.InputDim)
	}
	if !ok {
		for i := 0; i < n; i++ {
			v := x.AtFlat(i)
			if v != math.Trunc(v) || v < 0 || v >= float64(l.InputDim) {
				per := n / max(x.Dim(0), 1)
				panic(&InputError{fmt.Errorf("layer %s (Embedding): id %v at sample %d, position %d is not an integer in [0, input_dim=%d)",
					l.name, v, i/per, i%per, l.InputDim)})
			}
		}
	}
	return dst
}

// toIDs converts float ids to ints, reporting false when one is not an
// integer in [0, n).
func toIDs[T float32 | float64](dst []int, src []T, n int) bool {
	for i, v := range src {
		id := int(v)
		if T(id) != v || id < 0 || id >= n { // also false for NaN
			return false
		}
		dst[i] = id
	}
	return true
}

// ComputeMask marks steps whose id is 0 when MaskZero is set (Keras's
// not_equal(ids, 0)); without it the layer starts no mask.
func (l *Embedding) ComputeMask(_ *Context, x, _ *tensor.Tensor) *tensor.Tensor {
	if !l.MaskZero {
		return nil
	}
	var m *tensor.Tensor
	if x.DType() == tensor.Float32 {
		m = l.fast.mask.Like(x)
	} else {
		m = tensor.ZerosLike(x)
	}
	for i := 0; i < x.Len(); i++ {
		v := 0.0
		if x.AtFlat(i) != 0 {
			v = 1
		}
		m.SetFlat(i, v)
	}
	return m
}

// embeddingState holds the Kernel's buffers.
type embeddingState struct {
	y, dx, mask tensor.Buffer
	ids         []int
	xshape      []int
}

// Fast reports whether the embeddings are float32.
func (l *Embedding) Fast() bool { return l.embeddings.Value.Data.DType() == tensor.Float32 }

// Forward copies the rows of the ids in x into the layer's buffer.
func (l *Embedding) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	s := &l.fast
	s.ids = l.ids(s.ids, x)
	s.xshape = append(s.xshape[:0], x.Shape()...)
	y := s.y.Get(x.Dim(0), l.outShape)
	table, yd, w := l.embeddings.Value.Data.Float32s(), y.Float32s(), l.OutputDim
	for i, id := range s.ids {
		copy(yd[i*w:(i+1)*w], table[id*w:(id+1)*w])
	}
	return y
}

// Backward writes the embeddings' gradient, each row of dy added into the
// row of its id. Ids have no gradient: with needDX it returns zeros.
func (l *Embedding) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	s := &l.fast
	g, d, w := weightGrad(l.embeddings), dy.Float32s(), l.OutputDim
	clear(g)
	for i, id := range s.ids {
		row, src := g[id*w:(id+1)*w], d[i*w:(i+1)*w]
		for j, x := range src {
			row[j] += x
		}
	}
	if !needDX {
		return nil
	}
	dx := s.dx.Get(s.xshape[0], s.xshape[1:])
	clear(dx.Float32s())
	return dx
}

func init() {
	register(entry{"embedding", []string{"input_dim", "output_dim", "embeddings_initializer", "mask_zero", "input_length"},
		func(r *spec.Reader) Layer {
			opts := []EmbeddingOption{WithEmbeddingsInitializer(r.String("embeddings_initializer", "uniform"))}
			if r.Bool("mask_zero", false) {
				opts = append(opts, MaskZero())
			}
			r.Int("input_length", 0) // deprecated in Keras 3 and ignored there too
			return NewEmbedding(r.PositiveInt("input_dim", 0), r.PositiveInt("output_dim", 0), opts...)
		}})
}
