"""lrec_desktop: offline product recommendations for small shops."""

__version__ = "0.1.0"
# The reverse-DNS id of the desktop entry (resources/<APP_ID>.desktop) and of the shop file type's
# shared-mime-info file; the window tells Qt (setDesktopFileName) so the desktop matches its windows to it.
APP_ID = "io.github.lrecdesktop.LrecDesktop"
