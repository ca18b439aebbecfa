# Pattern: a package that re-exports its direct-I/O file class and aligned-buffer helper from submodules (modelled on vdsm's lib/vdsm/storage/directio.py split into a package, and on LiberTEM's io helpers).
# zdio-category: cross-file
from .buffers import aligned_buffer, PAGE
from .file import DirectFile

__all__ = ["DirectFile", "aligned_buffer", "PAGE"]
