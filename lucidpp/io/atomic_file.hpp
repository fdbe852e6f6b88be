#pragma once
// Whole-file reads and crash-safe whole-file writes.
//
// write_file_atomically leaves `path` holding either its old contents or the new ones, never a
// mix, even if the process or the machine dies half way: the data goes to a temp file in the
// same directory, which is flushed to disk (fsync) and then renamed over `path` (rename is
// atomic within one file system), and finally the directory is fsynced so the rename itself
// survives a power cut.
#include <string>

namespace lucid::io {

// Replaces `path` with `contents` atomically (see above). The new file gets the usual
// permissions (0666 minus the umask). On failure removes the temp file, leaves `path` as it
// was, and throws lucid::Error naming the path and the system's reason.
void write_file_atomically(const std::string& path, const std::string& contents);

// The whole contents of `path`; throws lucid::Error naming the path and the reason.
std::string read_file(const std::string& path);

}  // namespace lucid::io
