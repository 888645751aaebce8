"""The application API: what the window and the command line both call, so both decide the same way.

One module per capability, each function a job (``fn(inputs, *, progress, cancel) -> typed result``, run on
a worker thread by the window) or a quick read: ``shops`` (open, create, the demo, counts and quick lookups),
``settings`` (the shop's settings, read and saved through one registry), ``choice`` (which text model and
device read the product descriptions, and reading them), ``learning`` (learning from sales and its time
estimate), ``versions`` (learned versions of the text model), ``imports``, ``prepare``, ``lookup``
(recommendations, search, audiences, baskets), ``export``, ``evaluate`` and ``jobs`` (the job contract and
interrupted jobs). Heavy libraries are imported inside the functions that need them, so importing this
package costs the window nothing at start.
"""
