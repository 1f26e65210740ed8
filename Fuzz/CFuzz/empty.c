// CFuzz only declares libFuzzer's driver; SwiftPM wants one source file per C target.
