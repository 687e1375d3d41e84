package main

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// randomReader yields n pseudo-random bytes, generated as they are read.
type randomReader struct {
	rng *rand.ChaCha8
	n   int64
}

func (r *randomReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	r.rng.Read(p)
	r.n -= int64(len(p))
	return len(p), nil
}

// heapPeak samples the live heap until stop is called, and returns the
// highest value seen.
func heapPeak() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

func liveHeap() uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

func TestFileTransfer_A50MBFileGoesUpAndDownWithoutBeingHeldInMemory(t *testing.T) {
	const size = 50 << 20
	url, _ := startApp(t, Config{})
	base := liveHeap()
	stop := heapPeak()

	// Upload: the body is written as it is sent, through a pipe, and
	// hashed on the way.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	up := sha256.New()
	go func() {
		fw, err := mw.CreateFormFile("file", "big.bin")
		if err == nil {
			_, err = io.Copy(io.MultiWriter(fw, up), &randomReader{rng: rand.NewChaCha8([32]byte{1}), n: size})
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	resp, err := http.Post(url+"/files", mw.FormDataContentType(), pr)
	if err != nil {
		t.Fatal(err)
	}
	var result UploadResult
	err = json.NewDecoder(resp.Body).Decode(&result)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(result.Files) != 1 || result.Files[0].Size != size {
		t.Fatalf("upload: %d %+v %v", resp.StatusCode, result, err)
	}

	// Download: the answer is hashed as it arrives.
	resp, err = http.Get(url + "/files/big.bin")
	if err != nil {
		t.Fatal(err)
	}
	down := sha256.New()
	n, err := io.Copy(down, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || n != size {
		t.Fatalf("download: %d, %d bytes, %v", resp.StatusCode, n, err)
	}
	peak := stop()

	if string(up.Sum(nil)) != string(down.Sum(nil)) {
		t.Error("the downloaded file is not the uploaded one")
	}
	growth := int64(peak) - int64(base)
	t.Logf("live heap: %d MiB before, %d MiB at most during the transfer of %d MiB", base>>20, peak>>20, size>>20)
	if growth > 20<<20 {
		t.Errorf("the live heap grew by %d MiB during the transfer; the file was held in memory", growth>>20)
	}
}
