module db20

go 1.22
