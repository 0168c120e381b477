from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from jidu.core import audit
from jidu.documents.models import DocumentType, OfficialDocument
from jidu.org import scope


@login_required
@permission_required("documents.view_officialdocument", raise_exception=True)
def document_list(request):
    qs = scope.restrict(request.user, OfficialDocument.objects.select_related("doc_type", "addressee", "issued_by"))
    doc_type = request.GET.get("type") or ""
    if doc_type:
        qs = qs.filter(doc_type__code=doc_type)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(number__icontains=q)
    page = Paginator(qs.order_by("-issued_at", "-id"), 30).get_page(request.GET.get("page"))
    return render(request, "documents/list.html", {
        "page": page, "types": DocumentType.objects.all(), "type": doc_type, "q": q})


@login_required
@permission_required("documents.view_officialdocument", raise_exception=True)
def download(request, pk, kind="docx"):
    doc = scope.get_visible_or_404(request.user, OfficialDocument.objects.select_related("doc_type"),
                                   request=request, pk=pk)
    field = doc.pdf if kind == "pdf" else doc.docx
    if not field:
        raise Http404("该文书没有此格式的文件")
    audit.record(audit.AuditLog.Action.EXPORT, request=request, obj=doc, event="download_document",
                 number=doc.number, format=kind)
    name = doc.filename if kind == "docx" else doc.filename.removesuffix(".docx") + ".pdf"
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)
