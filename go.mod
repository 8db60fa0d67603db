module rescreen

go 1.26.8
