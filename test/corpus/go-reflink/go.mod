module example.invalid/reflink

go 1.19
