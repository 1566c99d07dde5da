module github.com/lightpress/lightpress

go 1.26
