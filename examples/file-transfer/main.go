// Command file-transfer is LoopBack 4's file-transfer example: a client
// uploads files as multipart/form-data, lists them and downloads them.
// Uploaded files stream to disk as they arrive and downloads stream from
// disk, so a file of any size up to the limits costs the server no more
// memory than a small one. Files are kept in ./.sandbox, or the directory
// FILES_DIR names.
//
//	go run ./examples/file-transfer
//	curl -F file=@photo.jpg -F note=holiday http://127.0.0.1:3000/files
//	curl http://127.0.0.1:3000/files
//	curl -OJ http://127.0.0.1:3000/files/photo.jpg
package main

import (
	"log"
	"os"
	"strconv"

	"go.uber.org/zap"
)

func main() {
	port, _ := strconv.Atoi(os.Getenv("PORT"))
	if port == 0 {
		port = 3000
	}
	logger, err := zap.NewDevelopment()
	if err != nil {
		log.Fatal(err)
	}
	app, err := NewApplication(Config{Host: os.Getenv("HOST"), Port: port, StorageDir: os.Getenv("FILES_DIR")}, logger)
	if err != nil {
		logger.Fatal("cannot build the application", zap.Error(err))
	}
	if err := app.Run(); err != nil {
		logger.Fatal("application failed", zap.Error(err))
	}
}
